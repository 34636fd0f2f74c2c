"""bot/rasa_patches.py: each patch is applied only by an explicit install(), only over the
upstream function it was written for (by the hash of its source), and gives exactly what
Rasa's own code gives."""

from __future__ import annotations

from typing import ClassVar

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot import rasa_patches

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]

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
    {"events": None},
    {"responses": "not a list"},
    {"responses": ["not an object"]},
    ["not an object"],
    # a valid event already remembered does not let an invalid one beside it through
    {"events": [{"event": "slot", "name": "age", "value": 14, "timestamp": None}, {"event": 3}]},
]


def _action() -> RemoteAction:
    return RemoteAction("action_answer", EndpointConfig("http://127.0.0.1:1/webhook"))


def test_each_upstream_function_is_the_one_the_patch_was_written_for():
    """Fails when a Rasa upgrade changes a function we replace: review the replacement
    against the new upstream, then record the new hash in PATCHES."""
    for patch in rasa_patches.PATCHES:
        assert rasa_patches.source_sha256(rasa_patches.upstream(patch)) == patch.upstream_sha256, patch.name


def test_a_changed_upstream_stops_the_install(monkeypatch):
    changed = rasa_patches.PATCHES[0].__class__(**{**rasa_patches.PATCHES[0].__dict__, "upstream_sha256": "0" * 64})
    monkeypatch.setattr(rasa_patches, "PATCHES", [changed, *rasa_patches.PATCHES[1:]])
    monkeypatch.setattr(RemoteAction, rasa_patches._MARK, False, raising=False)
    with pytest.raises(rasa_patches.PatchMismatch, match="_validate_action_result"):
        rasa_patches.install()


def test_importing_our_rasa_code_changes_nothing_until_install():
    import subprocess
    import sys

    code = ("import bot.tracker_store, bot.components.intent_classifier, bot.channels.rest; "
            "from rasa.core.actions.action import RemoteAction; from bot import rasa_patches; "
            "assert not rasa_patches.installed(); "
            "assert RemoteAction._validate_action_result is not rasa_patches._validate_action_result; "
            "rasa_patches.install(); assert rasa_patches.installed()")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.fixture(autouse=True, scope="module")
def _installed():
    rasa_patches.install()
    yield


def test_install_applies_every_patch():
    for patch in rasa_patches.PATCHES:
        assert getattr(patch.owner, patch.attribute) is patch.replacement, patch.name


def test_our_actions_never_read_the_trimmed_events():
    """cse_events: current_turn trims the events sent to the action server; our actions
    must read slots, the latest message and the active loop only."""
    for path in (ROOT / "actions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "tracker.events" not in source and "get_last_event_for" not in source, path.name


@pytest.mark.parametrize("result", VALID)
def test_valid_results_pass_both_validators(result):
    jsonschema.validate(result, RemoteAction.action_response_format_spec())  # Rasa's way
    assert _action()._validate_action_result(result) is True


def test_a_remembered_valid_event_is_still_valid():
    result = VALID[1]
    assert _action()._validate_action_result(result) is True
    assert _action()._validate_action_result(result) is True  # the second time from memory


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


# --- the sequential graph runner against Rasa's dask one, on a small graph -------------------

class _Add(GraphComponent):
    """out = sum of its inputs + config["plus"]; counts its runs."""

    runs: ClassVar[list[str]] = []

    def __init__(self, config: dict) -> None:
        self.config = config

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> _Add:
        return cls(config)

    def add(self, **numbers: int) -> int:
        _Add.runs.append(self.config["name"])
        return sum(numbers.values()) + self.config["plus"]


class _Fails(_Add):
    def add(self, **numbers: int) -> int:
        raise RuntimeError("boom")


def _schema(fails: bool = False) -> GraphSchema:
    def node(name: str, needs: dict, target: bool = False, uses: type = _Add) -> SchemaNode:
        return SchemaNode(needs=needs, uses=uses, constructor_name="create", fn="add",
                          config={"name": name, "plus": len(name)}, eager=True, is_target=target)

    return GraphSchema({
        "a": node("a", {"x": "__x__"}),
        "b": node("b", {"a": "a"}),
        "c": node("c", {"a": "a", "b": "b"}, target=True, uses=_Fails if fails else _Add),
        "d": node("d", {"b": "b", "y": "__y__"}, target=True),
        "unused": node("unused", {"x": "__x__"}),
    })


def _runner(schema: GraphSchema, tmp_path) -> DaskGraphRunner:
    storage = LocalModelStorage(tmp_path)
    return DaskGraphRunner(schema, storage, ExecutionContext(schema), hooks=None)


@pytest.mark.parametrize("targets", [None, ["c"], ["d"], ["b", "d"], ["a"]])
def test_the_sequential_runner_gives_what_dask_gives(tmp_path, targets):
    runner = _runner(_schema(), tmp_path)
    inputs = {"__x__": 1, "__y__": 10}
    _Add.runs.clear()
    by_dask = rasa_patches._dask_run(runner, inputs, targets)
    dask_runs = sorted(_Add.runs)
    _Add.runs.clear()
    ours = runner.run(inputs, targets)  # the patched method
    assert ours == by_dask
    assert sorted(_Add.runs) == dask_runs, "the same nodes, each once"
    assert "unused" not in _Add.runs
    if targets is None:
        a = 1 + 1  # x + len("a")
        b = a + 1
        assert ours == {"c": a + b + 1, "d": b + 10 + 1}


def test_a_missing_input_reaches_the_node_as_dask_would_pass_it(tmp_path):
    runner = _runner(_schema(), tmp_path)
    with pytest.raises(GraphRunError) as ours:
        runner.run({"__x__": 1}, ["d"])  # no __y__
    with pytest.raises(GraphRunError) as theirs:
        rasa_patches._dask_run(runner, {"__x__": 1}, ["d"])
    assert "Missing input" in str(ours.value) and str(ours.value) == str(theirs.value)


def test_errors_and_name_clashes_are_reported_as_rasa_reports_them(tmp_path):
    runner = _runner(_schema(fails=True), tmp_path)
    with pytest.raises(Exception) as ours:
        runner.run({"__x__": 1, "__y__": 2}, ["c"])
    with pytest.raises(Exception) as theirs:
        rasa_patches._dask_run(runner, {"__x__": 1, "__y__": 2}, ["c"])
    assert type(ours.value) is type(theirs.value) and str(ours.value) == str(theirs.value)
    with pytest.raises(GraphRunError, match="clashes with a node name"):
        runner.run({"__x__": "a"}, ["a"])


# --- what a call to the action server carries ---------------------------------------------------

def _screening_tracker() -> DialogueStateTracker:
    from rasa.shared.core.events import BotUttered, SessionStarted

    tracker = DialogueStateTracker("abc", [])
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    for text in ("I want to do a risk screening", "no", "practitioner"):
        tracker.update(UserUttered(text, {"name": "inform", "confidence": 0.9}))
        tracker.update(ActionExecuted("screening_form"))
        tracker.update(BotUttered("next question"))
        tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("14", {"name": "inform", "confidence": 0.9}))
    tracker.update(SlotSet("age", 14))
    return tracker


TRACKER = _screening_tracker()


def _call(events_setting: str | None) -> dict:
    kwargs = {"enable_selective_domain": True} | ({"cse_events": events_setting} if events_setting else {})
    action = RemoteAction("validate_screening_form", EndpointConfig("http://127.0.0.1:1/webhook", **kwargs))
    return action._action_call_format(TRACKER, Domain.empty())


def test_without_the_setting_a_call_is_rasas_own():
    action = RemoteAction("validate_screening_form", EndpointConfig("http://127.0.0.1:1/webhook",
                                                                     enable_selective_domain=True))
    assert _call(None) == rasa_patches._rasa_action_call_format(action, TRACKER, Domain.empty())
    assert len(_call(None)["tracker"]["events"]) == len(TRACKER.events)


def test_current_turn_sends_the_turns_events_and_the_same_state_otherwise():
    full, turn = _call(None), _call("current_turn")
    assert [e["event"] for e in turn["tracker"]["events"]] == ["user", "slot"]
    assert turn["tracker"]["events"][0]["text"] == "14"
    assert {k: v for k, v in turn["tracker"].items() if k != "events"} == \
        {k: v for k, v in full["tracker"].items() if k != "events"}
    assert {k: v for k, v in turn.items() if k != "tracker"} == {k: v for k, v in full.items() if k != "tracker"}
    assert "domain" not in turn  # enable_selective_domain: our actions declare no need for it


def test_the_sdk_builds_the_same_tracker_view_our_actions_read():
    from rasa_sdk import Tracker

    full, turn = (Tracker.from_dict(_call(s)["tracker"]) for s in (None, "current_turn"))
    for view in (lambda t: t.slots, lambda t: t.latest_message, lambda t: t.active_loop,
                 lambda t: t.sender_id, lambda t: t.latest_action_name, lambda t: t.slots_to_validate(),
                 lambda t: list(t.get_latest_entity_values("age"))):
        assert view(turn) == view(full)


# --- NLU off the event loop ------------------------------------------------------------------

LONG = "I am worried about my daughter because " * 20  # over offload.INLINE_TEXT_CHARS


def test_nlu_of_a_long_message_runs_on_the_text_thread_not_the_event_loop():
    import asyncio
    import threading

    from rasa.core.channels.channel import UserMessage

    seen = {}

    class Processor:
        http_interpreter = None

        def _parse_message_with_graph(self, message, tracker, only_output_properties=True):
            seen["thread"] = threading.current_thread().name
            return {"text": message.text, "intent": {"name": "greet", "confidence": 1.0}, "entities": []}

        def _update_full_retrieval_intent(self, parse_data):
            seen["updated"] = True

        def _check_for_unseen_features(self, parse_data):
            seen["checked"] = True

    async def main() -> dict:
        loop_thread = threading.current_thread().name
        result = await rasa_patches._parse_message(Processor(), UserMessage(LONG, sender_id="s"))
        assert seen["thread"] == "cse-text" != loop_thread
        await rasa_patches._parse_message(Processor(), UserMessage("hello", sender_id="s"))
        assert seen["thread"] == loop_thread, "a short message stays on the loop (cheaper than two switches)"
        return result

    assert asyncio.run(main())["intent"]["name"] == "greet"
    assert seen["updated"] and seen["checked"]


def test_redaction_of_a_long_message_for_storage_runs_on_the_text_thread(tmp_path, monkeypatch):
    import asyncio
    import threading

    from bot import tracker_store

    threads = set()
    real = tracker_store.redact_event

    def recording(data: dict) -> dict:
        threads.add(threading.current_thread().name)
        return real(data)

    monkeypatch.setattr(tracker_store, "redact_event", recording)
    store = tracker_store.RedactingSQLTrackerStore(Domain.empty(), url=f"sqlite:///{tmp_path / 'cse.db'}")
    tracker = DialogueStateTracker("long", [])
    tracker.update(UserUttered(LONG, {"name": "ask_signs", "confidence": 1.0}))
    asyncio.run(store.save(tracker))
    assert threads == {"cse-text"}
