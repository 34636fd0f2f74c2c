"""Q&A over REST against the running assistant (issue 2)."""

from __future__ import annotations

import pytest

QUESTIONS = [
    ("what's the number for the children's access point", ["01325 406222", "section 2.2"]),
    ("who chairs the MEG and how often does it meet", ["monthly", "Durham Constabulary", "section 2.4"]),
    ("what happens if the case is already open to social care", ["within 24 hours", "team manager", "section 2.2"]),
    ("what are the warning signs of cse", ["three or more", "section 3.3"]),
    ("what is trauma bonding", ["Stockholm Syndrome", "section 3.4"]),
    ("what is the party model", ["lift home", "section 3.7"]),
    ("what are the 14 risk indicators", ["Engagement with services", "section 2.1"]),
    ("what is sexting", ["nude or nearly nude", "section 3.9"]),
    ("what legislation is this based on", ["Working Together", "section 6"]),
    ("the child is under 13 what do I do", ["referral to the Children's Access Point is required", "section 2.2"]),
]


@pytest.mark.parametrize(("question", "facts"), QUESTIONS)
def test_questions_get_the_guidance_facts_with_their_section(bot, sender, question, facts):
    reply = bot.say(sender, question)
    for fact in facts:
        assert fact in reply, f"{question!r} -> {reply!r}"


def test_first_message_is_answered_directly_and_disclaimer_comes_once(bot, sender):
    first = bot.say(sender, "what is the MEG")
    assert "Missing and Exploited Group" in first
    assert "not monitored" in first
    second = bot.say(sender, "and what is MESA")
    assert "not monitored" not in second


def test_parents_get_plain_wording(bot, sender):
    reply = bot.say(sender, "I'm a mum and I'm worried about my daughter, what should I do?")
    assert "If you remain concerned about a child, you must contact" in reply
    assert "01325 406222" in reply


def test_out_of_scope_gets_a_clear_statement_and_cap(bot, sender):
    reply = bot.say(sender, "can you recommend a good lasagne recipe")
    assert "I can only help with Darlington's child sexual exploitation" in reply
    assert "01325 406222" in reply
