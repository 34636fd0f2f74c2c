"""Run actions against real rasa_sdk trackers, as the action server does."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from cse_core import screening
from cse_core.knowledge import get

ROOT_DIR = Path(__file__).resolve().parents[2]


def make_tracker(text: str = "", intent: str = "", slots: dict[str, Any] | None = None,
                 entities: list[dict[str, Any]] | None = None, active_loop: str | None = None,
                 ranking: list[dict[str, Any]] | None = None) -> Tracker:
    all_slots: dict[str, Any] = {s: None for s in screening.slot_names(get())}
    all_slots.update({"disclaimer_shown": False, "screening_turns": None, "screening_paused": False,
                      "requested_slot": None, "last_level": None, "last_pathway": None})
    all_slots.update(slots or {})
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.99},
              "intent_ranking": ranking or [{"name": intent, "confidence": 0.99}], "entities": entities or []}
    return Tracker("test-user", all_slots, latest, [], False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


def run(action: Any, tracker: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.fixture()
def tracker():
    return make_tracker
