"""Helpers every action uses: the knowledge, the audience and sending answers."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from cse_core import audience as audience_cues
from cse_core import knowledge
from cse_core.answers import PRACTITIONER, Answer, Button

Events = list[dict[str, Any]]


def kb() -> knowledge.Knowledge:
    return knowledge.get()


def latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def latest_intent(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


def entity(tracker: Tracker, name: str) -> str | None:
    return next(tracker.get_latest_entity_values(name), None)


def audience(tracker: Tracker) -> tuple[str, Events]:
    """The wording to use, updated from cues in the latest message ("my daughter ...")."""
    current = tracker.get_slot("audience")
    detected = audience_cues.detect(latest_text(tracker))
    if detected and detected != current:
        return detected, [SlotSet("audience", detected)]
    return current or PRACTITIONER, []


def buttons(items: list[Button]) -> list[dict[str, str]]:
    return [{"title": b.title, "payload": b.payload} for b in items]


def say(dispatcher: CollectingDispatcher, key: str, **values: Any) -> None:
    """Send a message from knowledge/messages.yml, contacts and values filled in."""
    text = kb().fill_contacts(kb().message(key))
    dispatcher.utter_message(text=text.format(**values).strip() if values else text.strip())


def send_answer(dispatcher: CollectingDispatcher, answer: Answer) -> None:
    dispatcher.utter_message(text=answer.full_text, buttons=buttons(answer.buttons))
    if answer.process_map:
        from cse_core import process_maps  # matplotlib: loaded only when a map is shown

        url = process_maps.public_url(answer.process_map)
        if url:  # the steps above are the picture's text alternative
            dispatcher.utter_message(image=url)


def disclaimer_once(dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
    """The disclaimer, the first time in a conversation only (issue 4)."""
    if tracker.get_slot("disclaimer_shown"):
        return []
    say(dispatcher, "disclaimer")
    return [SlotSet("disclaimer_shown", True)]
