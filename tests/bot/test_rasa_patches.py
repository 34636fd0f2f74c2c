"""The cached action-result validator accepts and rejects exactly what Rasa's own does."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SlotSet, UserUttered
from rasa.utils.endpoints import EndpointConfig

import bot.tracker_store  # noqa: F401  (importing our Rasa code installs the patch)
from bot import rasa_patches

VALID = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "age", "value": 14, "timestamp": None}],
     "responses": [{"text": "Indicator 1 of 14", "buttons": [{"title": "No concern", "payload": "/x"}]}]},
    {"events": [{"event": "active_loop", "name": None}], "responses": [{"image": "http://localhost:8080/maps/map-1.png"}]},
]
INVALID = [
    {"events": "not a list", "responses": []},
    {"events": [{"name": "age"}], "responses": []},  # an event without its type
    {"events": [{"event": "no_such_event"}], "responses": []},
]


def _action() -> RemoteAction:
    return RemoteAction("action_answer", EndpointConfig("http://127.0.0.1:1/webhook"))


def test_importing_our_rasa_code_installs_the_patch():
    assert RemoteAction._validate_action_result is rasa_patches._validate_action_result


@pytest.mark.parametrize("result", VALID)
def test_valid_results_pass_both_validators(result):
    jsonschema.validate(result, RemoteAction.action_response_format_spec())  # Rasa's way
    assert _action()._validate_action_result(result) is True


@pytest.mark.parametrize("result", INVALID)
def test_invalid_results_are_still_rejected_with_rasas_message(result):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        _action()._validate_action_result(result)


def test_install_is_idempotent():
    rasa_patches.install()
    rasa_patches.install()
    assert RemoteAction._validate_action_result is rasa_patches._validate_action_result


def _event_type_names() -> list[str]:
    from rasa.shared.utils.common import all_subclasses
    return sorted({cls.type_name for cls in all_subclasses(Event)})


def test_cached_event_class_search_finds_what_rasas_search_finds():
    names = _event_type_names()
    assert {"user", "bot", "action", "slot", "active_loop"} <= set(names)
    for _ in range(2):  # the second round comes from the cache
        for name in names:
            assert Event.resolve_by_type(name) is rasa_patches._resolve_by_type_uncached(name)


def test_unknown_event_types_still_raise_or_give_the_default():
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("no_such_event", default=UserUttered) is UserUttered
    assert Event.resolve_by_type("no_such_event", default=UserUttered) is UserUttered  # not cached as found
    assert Event.resolve_by_type("topic") is None  # Rasa's backwards compatibility


def test_trackers_round_trip_through_the_cached_search():
    events = [UserUttered("hi", {"name": "greet", "confidence": 1.0}), ActionExecuted("action_reply"),
              SlotSet("age", 14), ActiveLoop("screening_form")]
    restored = [Event.from_parameters(e.as_dict()) for e in events]
    assert restored == events
