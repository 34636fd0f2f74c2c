"""Answering guidance questions, and offering the closest topics when unsure."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    Events,
    audience,
    buttons,
    disclaimer_once,
    entity,
    kb,
    latest_intent,
    latest_text,
    say,
    send_answer,
)
from cse_core import answers, language


class ActionAnswer(Action):
    """The knowledge entry for the predicted topic intent, in the user's wording."""

    def name(self) -> str:
        return "action_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        who, events = audience(tracker)
        answer = answers.answer(kb(), latest_intent(tracker), latest_text(tracker), who, entity(tracker, "topic"))
        if answer is None:  # an intent with no entry: never guess
            return events + await ActionClarify().run(dispatcher, tracker, domain)
        send_answer(dispatcher, answer)
        return events + disclaimer_once(dispatcher, tracker)


class ActionClarify(Action):
    """Unsure: offer the two or three closest topics as buttons, and CAP's contact."""

    def name(self) -> str:
        return "action_clarify"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        text = latest_text(tracker)
        if text and not language.looks_english(text):
            say(dispatcher, "other_language")
            return disclaimer_once(dispatcher, tracker)
        k = kb()
        ranking = tracker.latest_message.get("intent_ranking") or []
        options = [k.entry_for_intent(r.get("name", "")) for r in ranking]
        options = [o for o in options if o][:3]
        if options:
            say(dispatcher, "clarify")
            dispatcher.utter_message(buttons=buttons([answers.topic_button(k, o) for o in options]))
            say(dispatcher, "clarify_contact")
        else:
            say(dispatcher, "out_of_scope")
        return disclaimer_once(dispatcher, tracker)
