"""Rasa events as stored: every value a person could have typed into, redacted (issue 14).

User text and its copy in parse_data, entity values of any type, message metadata, slot
values, bot messages and their data (action outputs can echo what the user said), and
anything else a custom event carries. What the assistant itself names stays as it is:
event types, action, intent, slot and entity names, timestamps, policies, confidences.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from typing import Any

from cse_core.redaction import redact, redact_value

# Values under these keys of an event are the assistant's own names and numbers, never user
# text (at the top of the event only: inside metadata a "name" is a person's).
STRUCTURAL = frozenset({
    "event", "timestamp", "name", "policy", "confidence", "input_channel", "message_id", "model_id",
    "assistant_id", "action_name", "hide_rule_turn", "type_name", "use_text_for_featurization", "is_interrupted",
})
# In parse_data: the classifier's own results.
PARSE_STRUCTURAL = frozenset({"intent", "intent_ranking", "response_selector", "model_id", "assistant_id"})
# In an entity: its type and position; its value and text are the user's.
ENTITY_STRUCTURAL = frozenset({"entity", "start", "end", "confidence_entity", "extractor", "role", "group",
                               "processors"})


# Most stored strings repeat: the model id on every event's metadata, the assistant's answers,
# buttons and slot values. Their redaction is remembered by digest (no text is kept as a key;
# a value kept is already redacted), which took the store's share of the Rasa server's time
# under load from half to a few percent (bench/README.md).
MEMO_SIZE = 4096
MEMO_MAX_CHARS = 8000  # longer texts are rare (a long answer at most) and redacted each time
_memo: dict[bytes, str] = {}
_memo_lock = threading.Lock()  # the store redacts on the event loop and on the text thread


def _redact_text(text: str) -> str:
    if len(text) > MEMO_MAX_CHARS:
        return redact(text)
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
    found = _memo.get(digest)
    if found is None:
        found = redact(text)
        with _memo_lock:
            if len(_memo) >= MEMO_SIZE:
                _memo.pop(next(iter(_memo)), None)
            _memo[digest] = found
    return found


def forget_memo() -> None:
    """Empty the memo (a person asked to be forgotten: nothing of theirs stays, even redacted)."""
    with _memo_lock:
        _memo.clear()


def redact_event(data: dict[str, Any]) -> dict[str, Any]:
    """The event dict as it may be stored (a new dict; ``data`` is not changed). What a person
    typed (a user event) is redacted afresh and never remembered: redaction removes
    identifiers, not what was told."""
    text_fn = redact if data.get("event") == "user" else _redact_text
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in STRUCTURAL:
            out[key] = value
        elif key in ("parse_data", "user_featurization") and isinstance(value, dict):
            out[key] = _parse_data(value, text_fn)
        else:
            out[key] = redact_value(value, text_fn)
    return out


def _parse_data(parse: dict[str, Any], text_fn: Callable[[str], str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in parse.items():
        if key in PARSE_STRUCTURAL:
            out[key] = value
        elif key == "entities" and isinstance(value, list):
            out[key] = [{k: v if k in ENTITY_STRUCTURAL else redact_value(v, text_fn) for k, v in ent.items()}
                        if isinstance(ent, dict) else redact_value(ent, text_fn) for ent in value]
        else:
            out[key] = redact_value(value, text_fn)
    return out
