"""Issue 12, item 4: the reply fits who is speaking and when.

* A child or young person at risk themselves gets the child's reply (``disclosure``: 999 if
  in danger now, Childline, a trusted adult; no pre-screen offer), even for danger now.
* An adult telling about a child in danger now gets the emergency reply.
* An adult's account of something past, over, habitual or hypothetical is not turned into an
  alarm by the classifier alone: it gets the situation answer (which says to call 999 if the
  child is in danger at any point); nor does an adult get the child's reply.
"""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.safety import SAFETY_KEY, SafetyCheck
from cse_core import safety


def _parse(text: str, ranking: list[tuple[str, float]]) -> Message:
    intents = [{INTENT_NAME_KEY: name, "confidence": conf} for name, conf in ranking]
    message = Message({TEXT: text})
    message.set(INTENT, intents[0])
    message.set(INTENT_RANKING_KEY, intents)
    SafetyCheck({}).process([message])
    return message


def _intent(message: Message) -> str:
    return message.get(INTENT)[INTENT_NAME_KEY]


@pytest.mark.parametrize("text", [
    "they have locked me in a bedroom and i cant get out",
    "he's picking me up tonight and i don't want to go, i'm 14",
    "the men are giving me drinks at the flat right now and i feel sick",
])
def test_a_child_in_danger_gets_the_childs_reply(text: str) -> None:
    message = _parse(text, [("ask_what_to_do", 0.6), ("emergency", 0.3)])
    assert _intent(message) == "disclosure"
    assert message.get(SAFETY_KEY)["speaker"] == "child"


@pytest.mark.parametrize("text", [
    "my daughter is locked in a bedroom at his flat and can't get out",
    "a man is picking my 13 year old up from school tonight, she met him online",
])
def test_an_adult_telling_about_a_child_in_danger_gets_the_emergency_reply(text: str) -> None:
    message = _parse(text, [("ask_what_to_do", 0.6), ("disclosure", 0.3)])
    assert _intent(message) == "emergency"
    assert message.get(SAFETY_KEY)["speaker"] is None


@pytest.mark.parametrize("text", [
    "last month my son was made to carry parcels for older boys, he has stopped going now",
    "she used to stay out with men she met online, what happens next?",
    "what would happen if a pupil told me a man had touched her",
    "her ex used to send her horrible messages, is that grooming?",
    "we're driving my son to a sleepover at his cousin's later",
])
def test_the_classifier_alone_does_not_alarm_on_past_or_hypothetical_accounts(text: str) -> None:
    message = _parse(text, [("emergency", 0.2), ("disclosure", 0.2), ("ask_what_to_do", 0.15)])
    assert _intent(message) not in {"emergency", "disclosure"}


def test_the_classifier_does_not_give_an_adult_the_childs_reply() -> None:
    text = "my daughter's boyfriend makes her do things for his friends"
    message = _parse(text, [("disclosure", 0.5), ("ask_grooming_models", 0.3)])
    assert _intent(message) != "disclosure"
    soon = _parse(text + " and he's collecting her later", [("disclosure", 0.5), ("ask_grooming_models", 0.3)])
    assert _intent(soon) == "emergency"


def test_the_classifier_still_alarms_when_nothing_settles_it() -> None:
    text = "there is something really wrong at that house with the girls going in"
    message = _parse(text, [("emergency", 0.4), ("ask_signs", 0.3)])
    assert _intent(message) == "emergency"


def test_read_says_who_and_when() -> None:
    child = safety.read("they won't let me leave the flat")
    assert child.result.kind == safety.EMERGENCY and child.speaker_is_victim
    adult = safety.read("they won't let my daughter leave the flat")
    assert adult.result.kind == safety.EMERGENCY and not adult.speaker_is_victim and adult.about_another
    past = safety.read("two years ago she was kept at a flat by older men")
    assert past.result.kind is None and past.settled and not past.now
    soon = safety.read("she's going to meet him after school")
    assert soon.now and not soon.settled
    assert safety.read("high").settled
    survivor = safety.read("i was raped when i was 14 and now i'm 30")
    assert not survivor.speaker_is_victim


@pytest.mark.parametrize("text", [
    "most weekends i stay at older lads flats cos i owe them",
    "a man has paid me for pics since i was 12 and it still happens, im 13 now",
    "my boyfriend is 25 and says if i loved him id do stuff with his mates",
    "they drove me to a house and made me do things, it keeps happening",
])
def test_a_child_telling_of_what_goes_on_is_not_settled_and_the_classifier_may_alarm(text):
    """CI found it: the veto for adults' past or habitual accounts silenced children's own."""
    assert not safety.read(text).settled
    assert _intent(_parse(text, [("disclosure", 0.5), ("ask_signs", 0.3)])) == "disclosure"


@pytest.mark.parametrize("text", ["i was groomed when i was 14, now im a youth worker",
                                  "when i was 13 it happened to me and im 30 now"])
def test_an_adult_survivor_is_still_an_adult(text):
    assert safety.read(text).settled


@pytest.mark.parametrize("text", [
    "my daughter is 14 and her 'boyfriend' is 31, he buys her vodka and tells her to keep it secret",
    "school nurse: a year 10 boy says older men he met on an app give him money for meeting up",
])
def test_a_rule_found_disclosure_told_by_an_adult_gets_the_adult_reply(text):
    """Blind dev split: parents describing their son got "it's not your fault... Childline"."""
    reading = safety.read(text)
    if reading.result.kind == "disclosure" and not reading.speaker_is_victim:
        assert reading.about_another
        assert _intent(_parse(text, [("ask_signs", 0.6)])) == "emergency"
    assert _intent(_parse(text, [("ask_signs", 0.6)])) != "disclosure"
