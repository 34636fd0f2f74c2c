"""Answer, clarify and reply actions with real trackers."""

from __future__ import annotations

from actions.answer import ActionAnswer, ActionClarify
from actions.conversation import ActionReply
from tests.actions.conftest import make_tracker, run, slot_events, texts


def test_answer_sends_the_entry_with_its_source_and_the_disclaimer_once():
    messages, events = run(ActionAnswer(), make_tracker("who chairs the MEG", "ask_meg"))
    assert "chaired by a Safeguarding Lead from Durham Constabulary" in messages[0]["text"]
    assert "section 2.4" in messages[0]["text"]
    assert "not monitored" in messages[1]["text"]
    assert slot_events(events)["disclaimer_shown"] is True
    messages, _ = run(ActionAnswer(), make_tracker("who chairs the MEG", "ask_meg", {"disclaimer_shown": True}))
    assert len(messages) == 1


def test_a_parent_gets_the_plain_wording_from_their_own_words():
    messages, events = run(ActionAnswer(), make_tracker("my daughter is 14, what should I do if I'm worried?",
                                                        "ask_what_to_do"))
    assert messages[0]["text"].startswith("If you remain concerned about a child, you must contact")
    assert slot_events(events)["audience"] == "parent"


def test_a_button_topic_entity_selects_the_sub_entry():
    tracker = make_tracker('/ask_pathway{"topic":"pathway_out_of_authority"}', "ask_pathway",
                           entities=[{"entity": "topic", "value": "pathway_out_of_authority"}])
    messages, _ = run(ActionAnswer(), tracker)
    assert "The CAP informs the child's placing social worker." in messages[0]["text"]


def test_clarify_offers_the_closest_topics_and_cap():
    ranking = [{"name": "nlu_fallback", "confidence": 1.0}, {"name": "ask_meg", "confidence": 0.4},
               {"name": "greet", "confidence": 0.2}, {"name": "ask_mesa", "confidence": 0.3},
               {"name": "ask_signs", "confidence": 0.1}, {"name": "ask_impact", "confidence": 0.05}]
    messages, _ = run(ActionClarify(), make_tracker("meeting thing?", "nlu_fallback", ranking=ranking))
    button_msg = next(m for m in messages if m.get("buttons"))
    titles = [b["title"] for b in button_msg["buttons"]]
    assert titles == ["The Missing and Exploited Group (MEG)", "The MESA subgroup", "Spotting the signs of CSE"]
    assert "01325 406222" in texts(messages)


def test_other_languages_get_a_clear_reply():
    messages, _ = run(ActionClarify(), make_tracker("Moja córka nie wróciła do domu, co mam robić?", "nlu_fallback"))
    assert "I can only read and answer in English" in texts(messages)


def test_out_of_scope_says_what_it_can_do_and_gives_cap():
    messages, _ = run(ActionReply(), make_tracker("what's the weather tomorrow", "out_of_scope"))
    assert "I can only help with Darlington's child sexual exploitation" in texts(messages)
    assert "01325 406222" in texts(messages)


def test_role_is_remembered():
    _, events = run(ActionReply(), make_tracker("I'm a foster carer", "inform_parent"))
    assert slot_events(events)["audience"] == "parent"
