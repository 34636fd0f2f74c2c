"""The replies to a child in immediate danger and to a child disclosing (issue 4)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import Events, answer_after_safety, say
from actions.screening import FORM, pause_events


def _pause_screening(tracker: Tracker) -> Events:
    """A screening in progress is paused, not lost; "carry on" resumes it."""
    return pause_events() if tracker.active_loop.get("name") == FORM else []


class ActionEmergency(Action):
    """999 first, then CAP, then an offer to carry on where they were."""

    def name(self) -> str:
        return "action_emergency"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        say(dispatcher, "emergency")
        sent = len(dispatcher.messages)
        events = answer_after_safety(dispatcher, tracker)  # 999 first, then the answer (issue 12)
        in_form = tracker.active_loop.get("name") == FORM
        if in_form or len(dispatcher.messages) == sent:
            say(dispatcher, "emergency_resume" if in_form else "emergency_after")
        return events + _pause_screening(tracker)


class ActionDisclosure(Action):
    """Short, warm words for a child: not your fault, 999, Childline, CEOP."""

    def name(self) -> str:
        return "action_disclosure"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        say(dispatcher, "disclosure")
        return _pause_screening(tracker)
