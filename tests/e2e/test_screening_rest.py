"""The pre-screen typed turn by turn over REST (issue 3): every case status, each level."""

from __future__ import annotations

import pytest

NO_CONCERN = ["no"] * 14


def screen(bot, sender, *, age="she's 14", ld="no", status="not known to services", ratings=None,
           others="no", details="no", role="I'm a teacher") -> str:
    """Type a whole screening; return the final replies."""
    assert "immediate danger" in bot.say(sender, "can you help me assess a young person")
    assert "practitioner or as a parent" in bot.say(sender, "no")
    assert "How old" in bot.say(sender, role)
    assert "learning disability" in bot.say(sender, age)
    assert "known to services" in bot.say(sender, ld)
    reply = bot.say(sender, status)
    for n, rating in enumerate(ratings or NO_CONCERN, start=1):
        assert f"Indicator {n} of 14" in reply, reply
        reply = bot.say(sender, rating)
    assert "other children" in reply
    assert "suspected offenders, vehicles or locations" in bot.say(sender, others)
    return bot.say(sender, details)


def with_rating(position: int, answer: str) -> list[str]:
    ratings = list(NO_CONCERN)
    ratings[position - 1] = answer
    return ratings


@pytest.mark.parametrize(("status", "level_answer", "expected"), [
    ("open to early help", "a bit", ["Pre-screen result: low", "remains open to Early Help Services"]),
    ("they have a social worker", "yes, a lot", ["Pre-screen result: high", "within 24 hours", "Designated CSE worker"]),
    ("not known to services", "some concerns", ["Pre-screen result: medium", "Children's First Response Team",
                                                 "Children and Families Assessment Team"]),
    ("she's from another local authority but lives in darlington", "high",
     ["Pre-screen result: high", "informs the child's placing social worker"]),
    ("she's a darlington child placed out of area", "low", ["Pre-screen result: low", "host Local Authority"]),
    ("don't know", "medium", ["Pre-screen result: medium", "route for a new case", "Children's First Response Team"]),
])
def test_each_case_status(bot, sender, status, level_answer, expected):
    final = screen(bot, sender, status=status, ratings=with_rating(6, level_answer))
    for fact in expected:
        assert fact in final, final
    assert "01325 406222" in final
    assert "Summary to copy" in final and "6. Running away / going missing:" in final
    assert "an indicative level from this assistant's own rules" in final
    assert ("CSE risk assessment form" if status == "they have a social worker" else "Risk Assessment Tool") in final


def test_no_indicators_still_says_contact_cap(bot, sender):
    final = screen(bot, sender)
    assert "Pre-screen result: no indicators identified" in final
    assert "If you remain concerned, contact the Children's Access Point anyway" in final


def test_under_13_requires_a_referral(bot, sender):
    final = screen(bot, sender, age="he's 11", ratings=with_rating(3, "a bit"))
    assert "Pre-screen result: medium" in final
    assert "A referral to the Children's Access Point is required" in final


def test_other_children_and_offender_details_add_to_what_to_do(bot, sender):
    final = screen(bot, sender, ratings=with_rating(9, "medium"), others="yes", details="yes")
    assert "other children who may be involved" in final
    assert "Information Sharing Form" in final and "Durham Constabulary" in final


def test_an_adult_is_not_scored(bot, sender):
    bot.say(sender, "I'd like to do a pre-screen")
    bot.say(sender, "no")
    bot.say(sender, "parent")
    reply = bot.say(sender, "she's 19")
    assert "under the age of 18" in reply and "Pre-screen result" not in reply


def test_digressions_return_to_the_same_question(bot, sender):
    bot.say(sender, "start a screening")
    bot.say(sender, "no")
    bot.say(sender, "I'm her mum")
    bot.say(sender, "14")
    bot.say(sender, "no")
    reply = bot.say(sender, "new case")
    assert "Indicator 1 of 14" in reply
    reply = bot.say(sender, "who chairs the MEG?")
    assert "Durham Constabulary" in reply and "Indicator 1 of 14" in reply
    reply = bot.say(sender, "why do you ask?")
    assert "What each level can look like" in reply and "Indicator 1 of 14" in reply
    assert "Indicator 2 of 14" in bot.say(sender, "medium")
    reply = bot.say(sender, "purple")
    assert "Sorry, I didn't catch that" in reply and "Indicator 2 of 14" in reply
    assert "Indicator 1 of 14" in bot.say(sender, "go back")
    assert "Indicator 2 of 14" in bot.say(sender, "low")
    reply = bot.say(sender, "change family to high")
    assert "Changed: Family and peer relationships is now high" in reply and "Indicator 2 of 14" in reply


def test_stop_confirms_and_scores_nothing(bot, sender):
    bot.say(sender, "I want to do a risk screening")
    bot.say(sender, "no")
    reply = bot.say(sender, "cancel")
    assert "stopped the pre-screen; nothing was scored" in reply
    assert "Pre-screen result" not in reply


def test_yes_to_immediate_danger_gives_999_then_resumes(bot, sender):
    bot.say(sender, "pre-screen please")
    reply = bot.say(sender, "yes")
    assert reply.startswith("If a child is in immediate danger, call the Police on 999")
    reply = bot.say(sender, "carry on")
    assert "practitioner or as a parent" in reply
