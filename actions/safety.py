"""The replies to a child in immediate danger and to a child disclosing (issue 4)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import Events, answer_after_safety, latest_text, say
from actions.screening import FORM, pause_events
from cse_core import audience


def _pause_screening(tracker: Tracker) -> Events:
    """A screening in progress is paused, not lost; "carry on" resumes it."""
    return pause_events() if tracker.active_loop.get("name") == FORM else []


class ActionEmergency(Action):
    """After Rasa's own ``utter_emergency`` (999 first, then CAP, sent even when this
    server is down): an offer to carry on where they were, and the pre-screen paused."""

    def name(self) -> str:
        return "action_emergency"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        sent = len(dispatcher.messages)
        events = answer_after_safety(dispatcher, tracker)  # after Rasa's 999, the answer (issue 12)
        in_form = tracker.active_loop.get("name") == FORM
        if in_form or len(dispatcher.messages) == sent:
            say(dispatcher, "emergency_resume" if in_form else "emergency_after")
        return events + _pause_screening(tracker)


class ActionDisclosure(Action):
    """After Rasa's own ``utter_disclosure`` (short, warm words for a child: not your fault,
    999, Childline, CEOP; sent even when this server is down): the pre-screen paused."""

    def name(self) -> str:
        return "action_disclosure"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        # a worker or parent telling about a child ("school nurse - a 14 yr old lad says...")
        # read as the child's own words: they are told what to do as well (issue 11)
        events = answer_after_safety(dispatcher, tracker) if audience.detect(latest_text(tracker)) else []
        return events + _pause_screening(tracker)
