"""Explicit, guarded replacements of Rasa 3.6.21 internals (issues 7, 13 and 16).

Nothing here changes Rasa when imported. ``install()`` (called by the launcher,
bot/serve.py, after it has checked the installed rasa and rasa-sdk against
requirements.lock) replaces each function listed in ``PATCHES``, but only if the
upstream function's source still hashes to the value recorded when the replacement was
written; otherwise it stops with a message naming the function (``PatchMismatch``).
tests/bot/test_rasa_patches.py checks the same hashes, so a Rasa upgrade that changes a
replaced function fails the tests before it can change behaviour. Each patch says what it
replaces and why:

1. ``RemoteAction._validate_action_result``: Rasa validates every action server response
   with ``jsonschema.validate(result, schema)``, which (jsonschema 4.17) checks the large,
   constant schema itself and builds a new validator each time: half of the Rasa server's
   CPU under load. Here the schema is checked once and one validator reused, and each
   distinct event is validated once (the same slot sets and loops come back on every turn);
   an invalid response still raises ``ValidationError`` with Rasa's message.
2. ``Event.resolve_by_type``: every stored event is turned back into its class by walking
   all of Event's subclasses; the class found for a type name is now remembered (a name
   not found yet still goes through Rasa's own search).
3. ``DaskGraphRunner.run``: every graph run (NLU once per message, the policies once per
   predicted action) went through dask's scheduler for a chain of a few nodes in one
   thread. The sequential runner computes the order once per set of targets and calls the
   same nodes with the same inputs in dependency order; a need nobody provides is passed
   as its name, and a RuntimeError becomes Rasa's GraphRunError, as with dask.
4. ``RemoteAction._action_call_format``: every call to the action server carried every
   event of the conversation. With ``cse_events: current_turn`` on the action endpoint
   (endpoints.yml), a call carries the events from the latest user message on: the
   trimming is explicit in that setting, and what rasa_sdk builds from it (slots, the
   latest message, the active loop, the slots to validate) is the same as from the full
   tracker (tests/bot/test_rasa_patches.py). Our actions never read ``tracker.events``
   (a test greps actions/ for it). Rasa's policies always see the full tracker: only the
   payload sent to the action server is trimmed. Without that key nothing changes.
5. ``MessageProcessor.parse_message``: NLU (spaCy, the classifier, the safety check) ran
   on the event loop, so one long message held every other conversation. The same steps
   now run the NLU graph of any message of 500 characters or more on the text thread
   (bot/offload.py) and await it.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rasa
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from bot import offload

logger = logging.getLogger(__name__)

_MARK = "_cse_cached_validator"


@functools.lru_cache(maxsize=1)
def _action_result_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, instead of on every response
    return cls(schema)


@functools.lru_cache(maxsize=1)
def _event_validator() -> Any:
    """The schema's ``events`` items: one event. An action's events repeat (the same slot set,
    the same loop), so each distinct event is validated once and remembered."""
    schema = RemoteAction.action_response_format_spec()["properties"]["events"]["items"]
    return validator_for(schema)(schema)


_VALID_EVENTS_MAX = 4096
_valid_events: dict[str, None] = {}  # canonical JSON of events found valid (the assistant's own output)


def _known_valid(result: Any) -> bool:
    """Whether ``result`` satisfies the response schema, checked per part: an object whose
    ``responses`` (if present) is an array of objects and whose ``events`` (if present) is an
    array of events each valid by the schema (the schema says no more than this)."""
    if not isinstance(result, dict):
        return False
    if "responses" in result and not (isinstance(result["responses"], list)
                                      and all(isinstance(r, dict) for r in result["responses"])):
        return False
    events = result.get("events", [])
    if not isinstance(events, list):
        return False
    for event in events:
        key = json.dumps(event, sort_keys=True, default=repr)
        if key in _valid_events:
            continue
        if not _event_validator().is_valid(event):
            return False
        if len(_valid_events) >= _VALID_EVENTS_MAX:
            _valid_events.pop(next(iter(_valid_events)))
        _valid_events[key] = None
    return True


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    if _known_valid(result):
        return True
    try:  # invalid: the whole schema raises the error Rasa would have raised
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


CURRENT_TURN_KEY, CURRENT_TURN = "cse_events", "current_turn"


def _current_turn(tracker: DialogueStateTracker) -> list[Event]:
    """The events from the latest user message on (all of them if there is none)."""
    events = list(tracker.events)
    for i in range(len(events) - 1, -1, -1):
        if isinstance(events[i], UserUttered):
            return events[i:]
    return events


_rasa_action_call_format = RemoteAction._action_call_format


def _action_call_format(self: RemoteAction, tracker: DialogueStateTracker, domain: Domain) -> dict[str, Any]:
    if self.action_endpoint is None or self.action_endpoint.kwargs.get(CURRENT_TURN_KEY) != CURRENT_TURN:
        return _rasa_action_call_format(self, tracker, domain)
    state = tracker.current_state(EventVerbosity.NONE)
    state["events"] = [event.as_dict() for event in _current_turn(tracker)]
    result = {"next_action": self._name, "sender_id": tracker.sender_id, "tracker": state,
              "version": rasa.__version__}
    if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(self.name()):
        result["domain"] = domain.as_dict()
    return result


_dask_run = DaskGraphRunner.run  # Rasa's own, kept for comparison in the tests
_event_classes: dict[str, type[Event]] = {}
_resolve_by_type_uncached = Event.resolve_by_type


def _resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    found = _event_classes.get(type_name)
    if found is None:
        found = _resolve_by_type_uncached(type_name, default)
        if found is not None and found is not default:
            _event_classes[type_name] = found
    return found


def _plan(runner: DaskGraphRunner, targets: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    """The nodes the targets need, each after the nodes it needs, with its needs in the
    order dask passes them (the order of ``needs.values()``)."""
    plans: dict[tuple[str, ...], list[tuple[str, list[str]]]] = runner.__dict__.setdefault("_cse_plans", {})
    if targets not in plans:
        nodes = runner._graph_schema.nodes
        order: list[tuple[str, list[str]]] = []
        seen: set[str] = set()

        def visit(name: str) -> None:
            if name in seen or name not in nodes:
                return
            seen.add(name)
            needs = list(nodes[name].needs.values())
            for need in needs:
                visit(need)
            order.append((name, needs))

        for target in targets:
            visit(target)
        plans[targets] = order
    return plans[targets]


def _run_graph(self: DaskGraphRunner, inputs: dict[str, Any] | None = None,
               targets: list[str] | None = None) -> dict[str, Any]:
    run_targets = targets if targets else self._graph_schema.target_names
    values: dict[str, Any] = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and value in self._graph_schema.nodes:
            raise GraphRunError(
                f"Input value '{value}' clashes with a node name. Make sure that none of the input "
                f"names passed to the `run` method are the same as node names in the graph schema.")
        values[name] = (name, value)
    try:
        for name, needs in _plan(self, tuple(run_targets)):
            values[name] = self._instantiated_nodes[name](*[values.get(need, need) for need in needs])
    except RuntimeError as e:
        raise GraphRunError("Error running runner.") from e
    return dict(values.get(target, target) for target in run_targets)


async def _parse_message(self: MessageProcessor, message: UserMessage,
                         tracker: DialogueStateTracker | None = None,
                         only_output_properties: bool = True) -> dict[str, Any]:
    """Rasa's ``MessageProcessor.parse_message``, with the NLU graph run off the event loop."""
    if self.http_interpreter:
        parse_data = await self.http_interpreter.parse(message)
    else:
        if tracker is None:
            tracker = DialogueStateTracker.from_events(message.sender_id, [])
        parse_data = await offload.text(self._parse_message_with_graph, message, tracker, only_output_properties,
                                        size=len(message.text or ""))
    self._update_full_retrieval_intent(parse_data)
    self._check_for_unseen_features(parse_data)
    return parse_data


class PatchMismatch(RuntimeError):
    """An upstream function we replace is not the one the replacement was written for."""


@dataclass(frozen=True)
class Patch:
    owner: type
    attribute: str
    replacement: Callable[..., Any]
    upstream_sha256: str  # of inspect.getsource() of Rasa 3.6.21's function
    static: bool = False

    @property
    def name(self) -> str:
        return f"{self.owner.__module__}.{self.owner.__qualname__}.{self.attribute}"


PATCHES = [
    Patch(RemoteAction, "_validate_action_result", _validate_action_result,
          "f8cdb4be6812396167ced74161b2ccd65c5ea676ad86d7d359d8c322d9d8dc42"),
    Patch(Event, "resolve_by_type", _resolve_by_type,
          "b5cf570fa7f286c7059ec73d8880528d03a78b28cf4e80285a46079c0fa65968", static=True),
    Patch(DaskGraphRunner, "run", _run_graph,
          "45f0f52f574f3aa9546a552bf671183e171092c18b66e97f5771a7fa295de37e"),
    Patch(RemoteAction, "_action_call_format", _action_call_format,
          "428795b944f22edba142d278ec47a30098975b01463ba337ec447dade52a0492"),
    Patch(MessageProcessor, "parse_message", _parse_message,
          "b98d8e49b9f2c433040af62752212dc374600d50cd21deec82386642b64d30dc"),
]
_originals: dict[str, Callable[..., Any]] = {p.name: getattr(p.owner, p.attribute) for p in PATCHES}


def upstream(patch: Patch) -> Callable[..., Any]:
    """Rasa's own function that ``patch`` replaces."""
    return _originals[patch.name]


def source_sha256(fn: Callable[..., Any]) -> str:
    return hashlib.sha256(inspect.getsource(fn).encode()).hexdigest()


def mismatches() -> list[str]:
    """The patched functions whose upstream source is not the one recorded."""
    return [p.name for p in PATCHES if source_sha256(upstream(p)) != p.upstream_sha256]


def installed() -> bool:
    return getattr(RemoteAction, _MARK, False)


def install() -> None:
    """Check every upstream function, then apply every patch (idempotent)."""
    if installed():
        return
    changed = mismatches()
    if changed:
        raise PatchMismatch("Rasa's code changed under these patches (bot/rasa_patches.py); review each "
                            "replacement against the new upstream and update its hash: " + ", ".join(changed))
    for patch in PATCHES:
        setattr(patch.owner, patch.attribute, staticmethod(patch.replacement) if patch.static else patch.replacement)
        logger.debug("patched %s", patch.name)
    setattr(RemoteAction, _MARK, True)
