"""Speed fixes for Rasa 3.6 that change no behaviour (issue 7, found with py-spy).

Rasa validates every action server response with ``jsonschema.validate(result, schema)``.
With jsonschema 4.17 that call first checks the (large, constant) schema itself and builds
a new validator each time: half of the Rasa server's CPU under load went there. Here the
schema is checked once and one validator is reused, so every response is still validated
against the same schema and an invalid one still raises ``ValidationError`` with Rasa's
message.

Every stored event is turned back into its class by ``Event.resolve_by_type``, which walks
all of Event's subclasses (``inspect.isabstract`` on each) for every event of every tracker
loaded; a screening's tracker holds a few hundred events. The class found for a type name
is now remembered; a name not found yet still goes through Rasa's own search.

``install()`` is idempotent and is called where Rasa imports our code (the tracker store
and the NLU components), so the fix is active whenever our model or endpoints are used.
"""

from __future__ import annotations

import functools
from typing import Any

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event

_MARK = "_cse_cached_validator"


@functools.lru_cache(maxsize=1)
def _action_result_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, instead of on every response
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    try:
        _action_result_validator().validate(result)
        return True
    except ValidationError as e:  # Rasa's own wording, so logs read the same
        e.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            "For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise e


_event_classes: dict[str, type[Event]] = {}
_resolve_by_type_uncached = Event.resolve_by_type


def _resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    found = _event_classes.get(type_name)
    if found is None:
        found = _resolve_by_type_uncached(type_name, default)
        if found is not None and found is not default:
            _event_classes[type_name] = found
    return found


def install() -> None:
    """Replace RemoteAction's per-call validation and Event's class search with cached ones."""
    if getattr(RemoteAction, _MARK, False):
        return
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[method-assign,assignment]
    setattr(RemoteAction, _MARK, True)
