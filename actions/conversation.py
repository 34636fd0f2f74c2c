"""Greetings, thanks, roles, scope: replies chosen by intent from knowledge/messages.yml."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    Events,
    audience,
    buttons,
    disclaimer_once,
    kb,
    latest_intent,
    latest_text,
    respond,
    say,
    send_reply,
    talk_data,
)
from cse_core import conversation, language
from cse_core.answers import Button

# intent -> message key; the words themselves are in knowledge/messages.yml
REPLIES = {
    "greet": "greeting",
    "goodbye": "goodbye",
    "thank": "thanks",
    "affirm": "affirm",
    "deny": "deny",
    "inform_parent": "role_parent",
    "inform_practitioner": "role_practitioner",
    "ask_capabilities": "capabilities",
    "bot_challenge": "bot_challenge",
    "out_of_scope": "out_of_scope",
    "insult": "insult",
    # screening commands with no screening in progress
    "explain_question": "screening.nothing_to_resume",
    "go_back": "screening.nothing_to_resume",
    "change_answer": "screening.nothing_to_resume",
}
ROLES = {"inform_parent": "parent", "inform_practitioner": "practitioner"}
# Replies that stand on their own: a greeting is not read as a follow-up.
OWN_REPLY = {"greet", "goodbye"}


class ActionReply(Action):
    def name(self) -> str:
        return "action_reply"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        intent = latest_intent(tracker)
        role: Events = [SlotSet("audience", ROLES[intent])] if intent in ROLES else []
        if intent not in OWN_REPLY or conversation.asks_something(kb(), talk_data(), latest_text(tracker)):
            # "what should I do?" read as capabilities, "and their email?" as out of scope,
            # "I'm her mum, she has an older boyfriend" as a role: answered in context (issue 11)
            who, events = audience(tracker)
            reply = respond(tracker, ROLES.get(intent, who))
            if reply is not None:
                return role + events + send_reply(dispatcher, reply) + disclaimer_once(dispatcher, tracker)
        key = REPLIES.get(intent, "out_of_scope")
        if key == "out_of_scope" and not language.looks_english(latest_text(tracker)):
            key = "other_language"
        say(dispatcher, key)
        if key == "capabilities":
            items = [Button(**b) for b in kb().message("capabilities_buttons")]
            dispatcher.utter_message(buttons=buttons(items))
        return role + disclaimer_once(dispatcher, tracker)
