"""Conversations over REST (issue 11): follow-ups of every kind, described situations, the
prefilled pre-screen and case statuses in people's own words."""

from __future__ import annotations

import pytest

CAP_PHONE = "01325 406222"
CAP_EMAIL = "childrensaccesspoint@darlington.gov.uk"


def talk(bot, sender, *messages):
    replies = [bot.say(sender, m) for m in messages]
    return replies


@pytest.mark.parametrize(("turns", "expected"), [
    # attributes of the topic
    (["what's the phone number for the children's access point", "and their email?"], CAP_EMAIL),
    (["what is the MEG", "how often does it meet?"], "monthly"),
    (["tell me about the MEG", "who chairs it"], "Durham Constabulary"),
    (["what's the information sharing form", "where do I send it?"], "Durham Constabulary"),
    # pathway x level
    (["what happens for a case open to early help", "and if it's high risk?"], "Children's First Response Team"),
    (["what happens for a case open to early help at medium risk", "what if it's a new case instead?"],
     "Children and Families Assessment Team"),
    # pronouns and ellipsis
    (["what is trauma bonding", "how does that end?"], "alternative healthy relationships"),
    (["what is trauma bonding", "does it happen to lads as well?"], "boys, young men"),
    (["tell me about the stages of grooming", "what comes after the befriending stage?"], "infatuated"),
    # siblings
    (["explain the boyfriend model", "and the party model?"], "lift home"),
    # comparisons
    (["what's the boyfriend model", "how is that different from the party model?"], "Side by side"),
    # third blind round (own wording): a place in a list, both sides of one stage, what now
    (["what are the stages of grooming", "whats the second one"], "introduced to one or more older men"),
    (["the exchange of favours stage", "what's the stage before it", "and after?"], "unwillingness"),
    (["what are the signs", "ok I've spotted a couple of those, now what"], CAP_PHONE),
    (["what is the MEG", "when does it happen"], "monthly"),
])
def test_a_follow_up_is_read_against_the_topic(bot, sender, turns, expected):
    replies = talk(bot, sender, *turns)
    assert expected in replies[-1], replies


def test_an_unclear_follow_up_gets_one_question_with_buttons_not_the_menu(bot, sender):
    bot.say(sender, "what is trauma bonding")
    reply = bot.say(sender, "and what about that?")
    assert "Which of these do you mean?" in reply
    assert "[Breaking the trauma bond]" in reply
    assert "I can also walk you through" not in reply


def test_what_should_i_do_on_its_own_is_what_to_do(bot, sender):
    reply = bot.say(sender, "what should I do?")
    assert CAP_PHONE in reply and "999" in reply


def test_other_areas_words_are_explained(bot, sender):
    reply = bot.say(sender, "how do I make a MASH referral?")
    assert reply.startswith("In Darlington") and CAP_PHONE in reply


def test_a_described_concern_gets_what_to_do_now(bot, sender):
    reply = bot.say(sender, "my 13 year old has a new phone she won't explain, stays out late and has an older "
                            "boyfriend, what should I do?")
    assert CAP_PHONE in reply.split("\n")[0]
    assert "may mean little" not in reply
    assert "Rewards" in reply and "Running away / going missing" in reply
    assert "[Start the pre-screen with what I've said]" in reply


def test_under_13_described_says_a_referral_is_required(bot, sender):
    reply = bot.say(sender, "I'm a teacher, a year 7 girl keeps getting picked up from school by older lads in a car")
    assert "referral to the Children's Access Point is required" in reply


def test_the_pre_screen_starts_prefilled_and_asks_only_the_rest(bot, sender):
    bot.say(sender, "I'm her mum. my daughter is 14, she has a social worker, she keeps going missing and comes "
                    "back with expensive trainers. is this grooming?")
    reply = bot.say(sender, "/start_screening")
    assert "From what you told me, I've filled in" in reply
    assert "13 to 15" in reply and "open to Children's Social Care" in reply
    assert "How old is the child?" not in reply
    answers = ["no", "no"] + ["no concern"] * 12 + ["no", "no"]  # danger, disability, 12 indicators, the last two
    outcome = ""
    for answer in answers:
        outcome = bot.say(sender, answer)
        assert "How old is the child?" not in outcome and "known to services" not in outcome
    assert "Pre-screen result" in outcome
    assert "case holding social worker" in outcome  # the social care route it was told


@pytest.mark.parametrize(("wording", "route"), [
    ("new", "a new case"),
    ("not known to anyone", "a new case"),
    ("no one's involved", "a new case"),
    ("she's got a social worker", "a case open to Children's Social Care"),
    ("early help are working with us", "a case open to Early Help"),
    ("placed here by another council", "from out of authority"),
    ("lives here but she's from Leeds", "from out of authority"),
])
def test_case_status_in_peoples_words(bot, sender, wording, route):
    bot.say(sender, "start a screening")
    for answer in ["no", "parent", "14", "no"]:
        bot.say(sender, answer)
    reply = bot.say(sender, wording)
    assert "Indicator 1 of 14" in reply, reply
    for _ in range(14):
        reply = bot.say(sender, "low")
    reply = bot.say(sender, "no")
    reply = bot.say(sender, "no")
    assert route in reply, reply


def test_skip_and_no_idea_are_not_known(bot, sender):
    bot.say(sender, "start a screening")
    for answer in ["no", "practitioner", "fourteen", "no", "new"]:
        bot.say(sender, answer)
    assert "Indicator 2 of 14" in bot.say(sender, "skip")
    assert "Indicator 3 of 14" in bot.say(sender, "no idea")


def test_a_follow_up_inside_the_pre_screen_is_answered_and_the_question_asked_again(bot, sender):
    bot.say(sender, "start a screening")
    bot.say(sender, "no")
    bot.say(sender, "what's the CAP's phone number")
    reply = bot.say(sender, "and their email?")
    assert CAP_EMAIL in reply
    assert "asking as a practitioner or as a parent" in reply


def test_after_an_outcome_a_level_follow_up_reads_its_pathway(bot, sender):
    bot.say(sender, "start a screening")
    for answer in ["no", "practitioner", "15", "no", "not known to services"]:
        bot.say(sender, answer)
    for _ in range(14):
        bot.say(sender, "low")
    bot.say(sender, "no")
    bot.say(sender, "no")
    reply = bot.say(sender, "and if it was high?")
    assert "high risk" in reply and "Children's First Response Team" in reply


def test_a_worker_read_as_a_childs_disclosure_is_told_what_to_do(bot, sender):
    reply = bot.say(sender, "school nurse - a 15 yr old lad I see says men he meets on an app give him money")
    assert CAP_PHONE in reply
