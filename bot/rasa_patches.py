"""Speed fixes for Rasa 3.6 (issue 7, found with py-spy). Each gives what Rasa's own code
gives, except the last, which an endpoints setting turns on.

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

Every graph run (the NLU pipeline once per message, the policies once per predicted
action) went through dask: rebuilding the minimal schema by an unmemoised recursion, a
dask graph and dask's scheduler, for a chain of a few nodes run in one thread. The
sequential runner computes the order once per set of targets and calls the same nodes with
the same inputs in dependency order; like dask, a need nobody provides is passed as its
name, and a RuntimeError becomes Rasa's GraphRunError.

Every call to the action server carried every event of the conversation, serialised to
JSON (the largest single cost left, and growing with the conversation's length), though
our actions read only slots, the latest message and the active loop. With
``cse_events: current_turn`` on the action endpoint, a call carries the events from the
latest user message on (what rasa_sdk derives a turn's slot changes from); every other
field of the tracker state is Rasa's own. Without that key nothing changes.

``install()`` is idempotent and is called where Rasa imports our code (the tracker store
and the NLU components), so the fix is active whenever our model or endpoints are used.
"""

from __future__ import annotations

import functools
from typing import Any

import rasa
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

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


def install() -> None:
    """Replace RemoteAction's per-call validation, Event's class search and the dask graph
    runner with the cached and sequential versions above."""
    if getattr(RemoteAction, _MARK, False):
        return
    DaskGraphRunner.run = _run_graph  # type: ignore[method-assign]
    RemoteAction._action_call_format = _action_call_format  # type: ignore[method-assign]
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[method-assign,assignment]
    setattr(RemoteAction, _MARK, True)
