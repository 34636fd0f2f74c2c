"""Issue 15 over REST: every case-status wording reaches its section 2.2 path and contact,
in the pre-screen outcome and in the Q&A; levels are labelled as the assistant's own."""

from __future__ import annotations

import pytest

from tests.e2e.test_screening_rest import NO_CONCERN, screen, with_rating

FROM_ELSEWHERE = "The CAP informs the child's placing social worker."
PLACED_ELSEWHERE = "The case holding social worker liaises with the host Local Authority."
CAP = "you must contact the Children's Access Point: 01325 406222"


@pytest.mark.parametrize(("status", "must", "must_not"), [
    ("a looked after child placed here by another council", FROM_ELSEWHERE, "within 24 hours"),
    ("from Leeds living here", FROM_ELSEWHERE, "within 24 hours"),
    ("her social worker is in Leeds", FROM_ELSEWHERE, "within 24 hours"),
    ("out of area", FROM_ELSEWHERE, "host Local Authority"),
    ("a darlington child placed elsewhere", PLACED_ELSEWHERE, "placing social worker"),
])
def test_the_pre_screen_routes_each_wording(bot, sender, status, must, must_not):
    final = screen(bot, sender, status=status, ratings=with_rating(7, "medium"))
    assert "Pre-screen result: medium (an indicative level from this assistant's own rules" in final
    assert must in final and must_not not in final, final
    assert "Contact the Children's Access Point: 01325 406222" in final
    assert "The level of risk is determined by the Children's Access Point" in final
    assert "Indicative level (this assistant's own rules, not the guidance): medium" in final


def test_under_13_with_nothing_known_still_requires_a_referral(bot, sender):
    final = screen(bot, sender, age="she's 11", ratings=["not sure"] * 14)
    assert "A referral to the Children's Access Point is required" in final
    assert "no indicators identified" not in final
    assert "This is general advice, not from the Darlington procedure: Some of the 14 indicators are not known" in final
    assert "Contact the Children's Access Point: 01325 406222" in final


def test_a_social_care_case_names_the_social_worker_as_setting_the_level(bot, sender):
    final = screen(bot, sender, status="they have a social worker", ratings=NO_CONCERN[:5] + ["high"] + NO_CONCERN[6:])
    assert "determined by the case holding social worker, who completes the CSE risk assessment form" in final


@pytest.mark.parametrize(("question", "facts"), [
    ("what happens for a looked after child placed here by another council", [FROM_ELSEWHERE, "section 2.2", CAP]),
    ("she's from Leeds and living here, what happens", [FROM_ELSEWHERE, CAP]),
    ("the child has a social worker in Leeds, what happens after I contact cap", [FROM_ELSEWHERE, CAP]),
    ("our darlington child is placed in york, what happens", [PLACED_ELSEWHERE, CAP]),
    ("what happens for a child from out of area", [FROM_ELSEWHERE, CAP]),
    ("who takes part in a strategy meeting?", ["The guidance does not say who takes part in a strategy meeting",
                                               "This is general advice, not from the Darlington procedure"]),
    ("what does the first response team do?", ["Children's First Response Team to determine whether a strategy"]),
    ("who is the designated cse worker", ["placing Local Authority can make a referral to the Designated CSE Worker"]),
    ("what is the CSE project worker?", ["strategies provided by the CSE Project worker"]),
    ("where do I get the risk assessment information form", ["Child Sexual Exploitation Risk Assessment Information Form"]),
    ("is this the latest version of the procedure?", ["issue date July 2019", "The document gives no review date"]),
    ("how does your pre-screen score it", ["this assistant's own rules", "3 or more low → medium"]),
])
def test_questions_reach_their_entry(bot, sender, question, facts):
    reply = bot.say(sender, question)
    for fact in facts:
        assert fact in reply, f"{question!r} -> {reply!r}"


def test_every_answer_ends_with_next_steps(bot, sender):
    reply = bot.say(sender, "what is the party model")
    assert "[What do I do if I'm worried?]" in reply and "[Start a risk pre-screen]" in reply
    assert "[Grooming models]" in reply
