"""The SafetyCheck NLU component, followed by Rasa's real FallbackClassifier as in config.yml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.safety import SafetyCheck

ROOT = Path(__file__).resolve().parents[2]


def _fallback() -> FallbackClassifier:
    """FallbackClassifier with the thresholds config.yml gives it."""
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
    config = next(c for c in pipeline if c["name"] == "FallbackClassifier")
    settings = {k: v for k, v in config.items() if k != "name"}
    return FallbackClassifier({**FallbackClassifier.get_default_config(), **settings})


def _message(text: str, ranking: list[tuple[str, float]]) -> Message:
    intents = [{INTENT_NAME_KEY: name, "confidence": conf} for name, conf in ranking]
    message = Message({TEXT: text})
    message.set(INTENT, intents[0])
    message.set(INTENT_RANKING_KEY, intents)
    return message


def _run(message: Message) -> str:
    SafetyCheck({}).process([message])
    _fallback().process([message])
    return message.get(INTENT)[INTENT_NAME_KEY]


def test_a_disclosure_survives_the_fallback_when_the_classifier_was_sure_of_a_topic():
    """The miss the e2e suite found: the topic "threats to share images" at 0.996 was within
    the ambiguity threshold of the override's 1.0, and the user got "did you mean...?"."""
    text = "someone in a group chat threatened to share a video of me unless i send more, im 15"
    message = _message(text, [("ask_image_threats", 0.996), ("ask_online_grooming", 0.003), ("disclosure", 0.001)])
    assert _run(message) == "disclosure"
    ranking = message.get(INTENT_RANKING_KEY)
    assert ranking[0] == {INTENT_NAME_KEY: "disclosure", "confidence": 1.0}
    assert [r[INTENT_NAME_KEY] for r in ranking[1:3]] == ["ask_image_threats", "ask_online_grooming"]


@pytest.mark.parametrize("topic_confidence", [0.2, 0.9, 0.999, 1.0])
def test_an_emergency_is_never_replaced_by_the_fallback(topic_confidence):
    message = _message("he's got a knife and she can't get out of the car", [("ask_contacts", topic_confidence)])
    assert _run(message) == "emergency"


def test_an_ordinary_question_still_falls_back_when_the_classifier_is_unsure():
    message = _message("what about the thing with the form", [("ask_contacts", 0.15), ("ask_meg", 0.14)])
    assert _run(message) == "nlu_fallback"


def test_a_safety_intent_the_check_does_not_confirm_gives_way_for_a_typed_answer():
    message = _message("she's 14", [("emergency", 0.5), ("inform_age", 0.45)])
    assert _run(message) == "inform_age"


@pytest.mark.parametrize("text", ["she's got a social worker", "early help are working with us",
                                  "placed here by another council"])
def test_a_case_status_in_peoples_words_is_an_answer_not_an_alarm(text):
    """CI found it: inside the pre-screen "she's got a social worker" drew 999, because the
    classifier learned "she's got" from emergencies; the answer must reach the form."""
    message = _message(text, [("emergency", 0.4), ("ask_pathway", 0.3), ("disclosure", 0.1)])
    assert _run(message) == "ask_pathway"


def test_a_case_status_does_not_hide_danger_the_check_finds():
    message = _message("she's got a social worker but he's got a knife to her now", [("ask_pathway", 0.6)])
    assert _run(message) == "emergency"


def test_a_long_message_naming_a_case_status_is_still_judged_by_the_classifier():
    text = "she has a social worker and she is not answering and i think something is really wrong"
    message = _message(text, [("emergency", 0.5), ("ask_pathway", 0.3)])
    assert _run(message) == "emergency"


@pytest.mark.parametrize("text", ["my son's playing footy at the rec with his pals, is there a club near us?",
                                  "we're off to the seaside with the kids on monday, where can we park?"])
def test_an_everyday_question_with_no_word_of_danger_is_not_an_alarm(text):
    """The classifier alone gave emergency to everyday plans asked about (issue 12, item 5)."""
    message = _message(text, [("emergency", 0.6), ("ask_contacts", 0.3)])
    assert _run(message) == "ask_contacts"


@pytest.mark.parametrize("text", ["he keeps messaging her at night and she's only 13, what do I do?",
                                  "my boyfriend is 22 and I'm 14 is that ok?"])
def test_a_question_with_a_word_of_danger_is_still_judged_by_the_classifier(text):
    message = _message(text, [("emergency", 0.6), ("ask_contacts", 0.3)])
    assert _run(message) in {"emergency", "disclosure"}


def test_danger_the_rules_miss_still_alarms_when_the_classifier_gives_it_a_third():
    """CI found it: at a 0.35 threshold "she just screamed down the phone and then it went
    dead" (classifier mass about 0.3) got no 999 reply."""
    message = _message("she just screamed down the phone and then it went dead",
                       [("ask_contacts", 0.4), ("emergency", 0.3), ("ask_signs", 0.2)])
    assert _run(message) == "emergency"


def test_the_check_is_built_when_the_component_loads_not_on_the_first_message(monkeypatch):
    """Built lazily, the spaCy pipeline and rule matchers held the first person's reply
    (a 999 one too) for seconds."""
    from cse_core import safety

    seen: list[str] = []
    real = safety.read
    monkeypatch.setattr(safety, "read", lambda text: seen.append(text) or real(text))
    SafetyCheck({})
    assert seen, "SafetyCheck did not run the check once while loading"


def test_an_adults_everyday_advice_question_is_not_an_alarm_by_the_classifier_alone():
    """A parent asking about a party the parents will be at got 999 from the classifier alone
    (blind tuning set, issue 12 item 5)."""
    text = "my daughter wants to go to a party at her friend's house, the parents will be home, is it ok to let her?"
    assert _run(_message(text, [("emergency", 0.6), ("ask_what_to_do", 0.3)])) == "ask_what_to_do"


def test_a_child_asking_is_that_ok_is_still_judged_by_the_classifier():
    text = "we play a game at his house that i dont like, is that ok"
    assert _run(_message(text, [("emergency", 0.6), ("ask_what_to_do", 0.3)])) in {"emergency", "disclosure"}


@pytest.mark.parametrize("text", [
    "any tips, my daughter has taken an overdose",
    "is that ok? a 40 year old man is messaging my 11 year old daughter asking for pics",
    "my daughter is going to meet a 40 year old man from snapchat at a hotel, is it ok to let her",
])
def test_asking_politely_does_not_hide_serious_danger_from_the_classifier(text):
    """Found in review: the advice guard let 'any tips,' silence an overdose the rules missed."""
    assert _run(_message(text, [("emergency", 0.9), ("ask_what_to_do", 0.05)])) in {"emergency", "disclosure"}
