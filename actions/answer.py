"""Answering guidance questions in a conversation, and offering the closest topics when unsure."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    OFFERED_SLOT,
    TOPIC_SLOT,
    Events,
    audience,
    buttons,
    context,
    disclaimer_once,
    entity,
    kb,
    latest_intent,
    latest_text,
    respond,
    say,
    send_answer,
    send_reply,
    talk_data,
)
from cse_core import answers, conversation, language


def answer_topic(dispatcher: CollectingDispatcher, tracker: Tracker, who: str) -> Events | None:
    """The intent's own knowledge entry (a button's topic exactly), keeping it as the topic."""
    k = kb()
    topic, level = entity(tracker, "topic"), entity(tracker, "level")
    entry = answers.select(k, latest_intent(tracker), latest_text(tracker), topic)
    if entry is None:
        return None
    if entry.pathway and level in ("low", "medium", "high"):
        return send_reply(dispatcher, conversation.cell_reply(k, talk_data(), entry.pathway, level, context(tracker)))
    send_answer(dispatcher, answers.render(k, entry, who))
    return [SlotSet(TOPIC_SLOT, conversation.topic_after(k, entry, context(tracker)).to_slot()),
            SlotSet(OFFERED_SLOT, False)]


class ActionAnswer(Action):
    """The answer this message needs: read in the conversation first, else the topic intent's."""

    def name(self) -> str:
        return "action_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        who, events = audience(tracker)
        reply = None if entity(tracker, "topic") else respond(tracker, who)
        if reply is not None:
            return events + send_reply(dispatcher, reply) + disclaimer_once(dispatcher, tracker)
        sent = answer_topic(dispatcher, tracker, who)
        if sent is None:  # an intent with no entry: never guess
            return events + await ActionClarify().run(dispatcher, tracker, domain)
        return events + sent + disclaimer_once(dispatcher, tracker)


class ActionClarify(Action):
    """Unsure: read it in the conversation, else offer the closest topics as buttons and CAP."""

    def name(self) -> str:
        return "action_clarify"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        text = latest_text(tracker)
        if text and not language.looks_english(text):
            say(dispatcher, "other_language")
            return disclaimer_once(dispatcher, tracker)
        who, events = audience(tracker)
        reply = respond(tracker, who)
        if reply is not None:
            return events + send_reply(dispatcher, reply) + disclaimer_once(dispatcher, tracker)
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
        return events + disclaimer_once(dispatcher, tracker)
