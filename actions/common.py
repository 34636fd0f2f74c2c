"""Helpers every action uses: the knowledge, the audience and sending answers."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from cse_core import audience as audience_cues
from cse_core import conversation, knowledge, talk
from cse_core.answers import PRACTITIONER, Answer, Button

Events = list[dict[str, Any]]


def kb() -> knowledge.Knowledge:
    return knowledge.get()


def talk_data() -> talk.Talk:
    return talk.get()


def context(tracker: Tracker) -> conversation.Context:
    """The conversation's current topic (issue 11)."""
    return conversation.Context.from_slot(tracker.get_slot(TOPIC_SLOT))


TOPIC_SLOT = "conversation_topic"
PREFILL_SLOT = "screening_prefill"
OFFERED_SLOT = "screening_offered"  # a "yes" now starts the pre-screen (data/rules.yml)


def latest_confidence(tracker: Tracker) -> float:
    return float((tracker.latest_message.get("intent") or {}).get("confidence") or 0.0)


def respond(tracker: Tracker, who: str, in_form: bool = False) -> conversation.Reply | None:
    """What this message needs in the conversation so far, or None for the intent's answer."""
    return conversation.respond(kb(), talk_data(), latest_text(tracker), latest_intent(tracker),
                                latest_confidence(tracker), context(tracker), who, in_form=in_form)


def reply_in_context(dispatcher: CollectingDispatcher, tracker: Tracker) -> Events | None:
    """The conversation's reply to this message, sent, or None when it has none. For intents
    that mean nothing here ("stop" with no pre-screen): "he wouldn't leave the room" is a
    described child, not a command."""
    who, events = audience(tracker)
    reply = respond(tracker, who)
    if reply is None:
        return None
    return events + send_reply(dispatcher, reply) + disclaimer_once(dispatcher, tracker)


def send_reply(dispatcher: CollectingDispatcher, reply: conversation.Reply) -> Events:
    """Send a conversation reply and keep its topic (and any prefill) for what comes next."""
    for message in reply.messages:
        dispatcher.utter_message(text=message.text or None, buttons=buttons(message.buttons))
        if message.process_map:
            _send_map(dispatcher, message.process_map)
    events: Events = [SlotSet(TOPIC_SLOT, reply.context.to_slot()), SlotSet(OFFERED_SLOT, bool(reply.prefill))]
    if reply.prefill:
        events.append(SlotSet(PREFILL_SLOT, reply.prefill))
    return events


def answer_after_safety(dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
    """After the 999 reply, the answer the message also needs (issue 12, item 3): a described
    situation, or the question it asks. The safety intent replaced the topic intent, so the
    topic is read from the classifier's ranking."""
    who, events = audience(tracker)
    ranking = tracker.latest_message.get("intent_ranking") or []
    topic = next((r for r in ranking if str(r.get("name", "")).startswith("ask_")), None)
    intent, confidence = (topic["name"], float(topic.get("confidence", 0.0)) * 2) if topic else ("", 0.0)
    reply = conversation.respond(kb(), talk_data(), latest_text(tracker), intent, min(confidence, 1.0),
                                 context(tracker), who, danger=True)
    if reply is not None:
        return events + send_reply(dispatcher, reply)
    entry = kb().entry_for_intent(intent) if confidence >= conversation.CONFIDENT else None
    if entry is None:
        return events
    from cse_core import answers

    send_answer(dispatcher, answers.render(kb(), answers.select(kb(), intent, latest_text(tracker)) or entry, who))
    return events + [SlotSet(TOPIC_SLOT, conversation.topic_after(kb(), entry, context(tracker)).to_slot())]


def _send_map(dispatcher: CollectingDispatcher, number: int) -> None:
    from cse_core import process_maps  # matplotlib: loaded only when a map is shown

    url = process_maps.public_url(number)
    if url:  # the steps sent with it are the picture's text alternative
        dispatcher.utter_message(image=url)


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
        _send_map(dispatcher, answer.process_map)


def disclaimer_once(dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
    """The disclaimer, the first time in a conversation only (issue 4)."""
    if tracker.get_slot("disclaimer_shown"):
        return []
    say(dispatcher, "disclaimer")
    return [SlotSet("disclaimer_shown", True)]
