"""'Delete my conversation' (issue 5): asked, confirmed, then done by the tracker store.

The deletion itself happens in bot/tracker_store.py when it sees that a turn ran
``action_forget``: the Rasa server holds the conversation in memory during the turn and
would otherwise write it straight back.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import Events, kb, say
from actions.screening import FORM, pause_events, reset_events


class ActionForgetAsk(Action):
    def name(self) -> str:
        return "action_forget_ask"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        say(dispatcher, "forget_confirm")
        paused = pause_events() if tracker.active_loop.get("name") == FORM else []
        labels = kb().message("forget_buttons")
        dispatcher.utter_message(buttons=[{"title": labels["yes"], "payload": "/affirm"},
                                          {"title": labels["no"], "payload": "/deny"}])
        return paused


class ActionForget(Action):
    def name(self) -> str:
        return "action_forget"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        say(dispatcher, "forget_done")
        return reset_events()


class ActionForgetKept(Action):
    def name(self) -> str:
        return "action_forget_kept"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        say(dispatcher, "forget_kept")
        return []
