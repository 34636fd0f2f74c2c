"""The conversation glue (issue 11) with real trackers: topic memory in a slot, follow-ups,
described situations, the prefilled pre-screen, and the answer after the 999 reply."""

from __future__ import annotations

from actions.answer import ActionAnswer, ActionClarify
from actions.conversation import ActionReply
from actions.safety import ActionDisclosure, ActionEmergency
from actions.screening import ActionScreeningStart, ActionScreeningStop, ValidateScreeningForm
from tests.actions.conftest import make_tracker, run, slot_events, texts

TOPIC = "conversation_topic"
PREFILL = "screening_prefill"


def test_an_answer_keeps_its_topic_and_a_follow_up_reads_it():
    _, events = run(ActionAnswer(), make_tracker("what is the MEG", "ask_meg"))
    topic = slot_events(events)[TOPIC]
    assert topic["entry"] == "meg"
    messages, events = run(ActionAnswer(), make_tracker("how often does it meet?", "follow_up",
                                                        {TOPIC: topic, "disclaimer_shown": True}))
    assert "monthly" in texts(messages)
    assert slot_events(events)[TOPIC]["entry"] == "meg"


def test_a_level_button_asks_for_one_cell():
    tracker = make_tracker('/ask_pathway{"topic":"pathway_new_case","level":"high"}', "ask_pathway",
                           entities=[{"entity": "topic", "value": "pathway_new_case"},
                                     {"entity": "level", "value": "high"}])
    messages, events = run(ActionAnswer(), tracker)
    assert "at high risk" in texts(messages)
    assert slot_events(events)[TOPIC] == {"entry": "pathway_new_case", "pathway": "new_case", "level": "high",
                                         "said": [], "step_from": None}


def test_what_should_i_do_read_as_capabilities_is_answered_as_what_to_do():
    messages, _ = run(ActionReply(), make_tracker("what should I do?", "ask_capabilities"))
    assert "01325 406222" in texts(messages)
    assert "I can also walk you through" not in texts(messages)


def test_a_follow_up_the_classifier_missed_is_still_read_in_context():
    tracker = make_tracker("and their email?", "nlu_fallback", {TOPIC: {"entry": "contact_cap"}})
    messages, _ = run(ActionClarify(), tracker)
    assert "childrensaccesspoint@darlington.gov.uk" in texts(messages)
    assert "I'm not sure I understood" not in texts(messages)


def test_a_greeting_is_never_a_follow_up():
    messages, _ = run(ActionReply(), make_tracker("hello", "greet", {TOPIC: {"entry": "meg"}}))
    assert texts(messages).startswith("Hello")


def test_a_described_situation_offers_a_prefilled_pre_screen_that_starts_filled():
    tracker = make_tracker("I'm a teacher. a year 9 girl has been truanting and is getting into cars with older men",
                           "ask_what_to_do")
    messages, events = run(ActionAnswer(), tracker)
    assert "01325 406222" in messages[0]["text"]
    prefill = slot_events(events)[PREFILL]
    assert prefill["age_band"] == "13_15" and prefill["audience"] == "practitioner"
    assert prefill["ind_abusive_adults"] == "high"

    messages, events = run(ActionScreeningStart(), make_tracker("/start_screening", "start_screening",
                                                                {PREFILL: prefill}))
    filled = slot_events(events)
    assert filled["age_band"] == "13_15" and filled["ind_education"] == prefill["ind_education"]
    assert filled[PREFILL] is None  # used once
    assert "From what you told me, I've filled in" in texts(messages)


def test_a_prefill_value_a_question_would_not_accept_is_dropped():
    tracker = make_tracker("/start_screening", "start_screening", {PREFILL: {"age_band": "a hundred",
                                                                             "ind_rewards": "medium"}})
    _, events = run(ActionScreeningStart(), tracker)
    filled = slot_events(events)
    assert filled.get("ind_rewards") == "medium"
    assert filled.get("age_band") is None


def test_a_follow_up_inside_the_pre_screen_is_answered_and_nothing_is_filled():
    tracker = make_tracker("and their email?", "follow_up",
                           {"requested_slot": "audience", "screen_danger": "no", TOPIC: {"entry": "contact_cap"}},
                           active_loop="screening_form")
    messages, events = run(ValidateScreeningForm(), tracker)
    assert "childrensaccesspoint@darlington.gov.uk" in texts(messages)
    assert "audience" not in slot_events(events)


def test_the_999_reply_comes_first_then_the_answer():
    ranking = [{"name": "emergency", "confidence": 1.0}, {"name": "ask_contact_cap", "confidence": 0.4}]
    tracker = make_tracker("my 14 year old is being picked up by older men in a car tonight, what's the CAP number",
                           "emergency", ranking=ranking)
    # 999 is Rasa's own response (utter_emergency, words from knowledge/), sent before this
    # action by every emergency rule, so it goes out even when the action server is down.
    import yaml

    from tests.actions.conftest import ROOT_DIR

    for rule in yaml.safe_load((ROOT_DIR / "data" / "rules.yml").read_text(encoding="utf-8"))["rules"]:
        steps = [step.get("intent") or step.get("action") for step in rule["steps"]]
        if "emergency" in steps and steps[0] == "emergency":
            assert steps[1:3] == ["utter_emergency", "action_emergency"], rule["rule"]
    messages, _ = run(ActionEmergency(), tracker)
    assert "call the Police on 999 now" not in texts(messages), "not said twice"
    assert "Running away" in texts(messages) or "Contact with abusive adults" in texts(messages)


def test_a_described_child_read_as_stop_or_resume_is_answered_not_told_there_is_no_pre_screen():
    """Blind dev split: "... he wouldn't leave the room" was read as "stop" and got "there's
    no pre-screen in progress"."""
    text = "nurse here, a 13 year old came in for an STI test with an older man who wouldn't leave the room"
    for action, intent in [(ActionScreeningStop(), "stop"), (ActionScreeningStart(), "resume_screening")]:
        messages, _ = run(action, make_tracker(text, intent))
        assert "01325 406222" in texts(messages)
        assert "no pre-screen in progress" not in texts(messages)


def test_stop_with_nothing_to_stop_still_says_so():
    messages, _ = run(ActionScreeningStop(), make_tracker("stop", "stop"))
    assert "no pre-screen in progress" in texts(messages)


def test_the_phrase_matchers_are_built_when_the_action_server_starts():
    """Built on the first turn, they took longer than the Rasa server waits for an action."""
    import subprocess
    import sys

    code = "import actions; from cse_core import talk; print(talk.get.cache_info().currsize)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "1"


def test_a_worker_telling_about_a_child_read_as_a_disclosure_is_told_what_to_do_too():
    tracker = make_tracker("youth worker - a 15 yr old lad says older men on an app give him money", "disclosure",
                           ranking=[{"name": "disclosure", "confidence": 0.9}])
    messages, _ = run(ActionDisclosure(), tracker)
    assert "01325 406222" in texts(messages)


def test_a_child_disclosing_gets_only_rasas_own_words():
    tracker = make_tracker("he makes me do things with his mates", "disclosure",
                           ranking=[{"name": "disclosure", "confidence": 0.9}])
    messages, _ = run(ActionDisclosure(), tracker)
    assert messages == []


def test_after_the_999_reply_a_child_in_danger_with_no_known_sign_is_still_answered():
    tracker = make_tracker("our yp with a learning disability is with two men we don't know and won't answer",
                           "emergency", ranking=[{"name": "emergency", "confidence": 0.99}])
    messages, _ = run(ActionEmergency(), tracker)
    assert "referral to the Children's Access Point is required" in texts(messages)


def test_a_goodbye_that_asks_what_now_is_answered():
    tracker = make_tracker("cheers, I've read them, so now what?", "goodbye", {TOPIC: {"entry": "signs"}})
    messages, _ = run(ActionReply(), tracker)
    assert "01325 406222" in texts(messages) and not texts(messages).startswith("Goodbye")
