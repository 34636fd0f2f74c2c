"""Rasa glue for the guided pre-screen (issue 3); the logic is in cse_core.screening.

Every slot of ``screening_form`` has a ``custom`` mapping: nothing is filled from raw
text. ``validate_screening_form`` reads the latest message for the requested slot only
(so one "yes" fills one slot), turns it into a fixed value, or answers a digression
(a guidance question, "why do you ask", "go back", "change education to high") and asks
the same question again. Emergencies, disclosures, "stop" and "delete my conversation"
are left to the rules (the form rejects, and rules with `condition: active_loop` answer).
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from actions.common import (
    OFFERED_SLOT,
    PREFILL_SLOT,
    TOPIC_SLOT,
    Events,
    audience,
    buttons,
    context,
    disclaimer_once,
    kb,
    latest_intent,
    latest_text,
    reply_in_context,
    respond,
    say,
    send_answer,
    send_reply,
    talk_data,
)
from cse_core import answers, conversation, parsing, records, screening, storage
from cse_core.answers import Button

logger = logging.getLogger(__name__)
FORM = "screening_form"
TURNS = "screening_turns"  # bumped on every handled turn so the form never rejects one
PAUSED = "screening_paused"
# Intents the form leaves to the rules (see data/rules.yml).
HANDED_TO_RULES = {"emergency", "disclosure", "stop", "forget_conversation"}


def state(tracker: Tracker) -> dict[str, Any]:
    return {slot: tracker.get_slot(slot) for slot in screening.slot_names(kb())}


def pause_events() -> Events:
    """Pause: the answers so far are kept, and "carry on" resumes (issue 4)."""
    return [SlotSet(PAUSED, True), SlotSet("requested_slot", None), ActiveLoop(None)]


def reset_events() -> Events:
    """Forget a screening's answers (nothing is kept once it ends or stops)."""
    return [SlotSet(s, None) for s in screening.slot_names(kb()) if s != "audience"] + [
        SlotSet("requested_slot", None), SlotSet(PAUSED, False)
    ]


def _turn(tracker: Tracker) -> SlotSet:
    return SlotSet(TURNS, float(tracker.get_slot(TURNS) or 0) + 1)


class ActionScreeningStart(Action):
    """Start a pre-screen, or resume a paused one where it stopped."""

    def name(self) -> str:
        return "action_screening_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        answered = [s for s, v in state(tracker).items() if v and s != "audience"]
        if tracker.get_slot(PAUSED) and answered:
            say(dispatcher, "screening.resumed")
            return [SlotSet(PAUSED, False), SlotSet("requested_slot", None)]
        if latest_intent(tracker) == "resume_screening":
            answered_instead = reply_in_context(dispatcher, tracker)
            if answered_instead is not None:
                return answered_instead
            say(dispatcher, "screening.nothing_to_resume")
        say(dispatcher, "screening.intro")
        return reset_events() + _prefill(dispatcher, tracker) + [SlotSet(OFFERED_SLOT, False)] + \
            disclaimer_once(dispatcher, tracker)


def _prefill(dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
    """Answers a described situation already gave (issue 11): filled in, said, changeable."""
    values = tracker.get_slot(PREFILL_SLOT)
    if not isinstance(values, dict) or not values:
        return []
    k = kb()
    known = set(screening.slot_names(k))
    values = {s: v for s, v in values.items() if s in known and isinstance(v, str)}
    items, accepted = [], {}
    for slot, value in values.items():
        question = screening.question(k, slot)
        if question is None or screening.parse(k, question, _typed(k, question, value)) != value:
            continue  # only values the question itself would accept
        accepted[slot] = value
        items.append(talk_data().message("prefill_item").format(name=_label(k, question), value=_shown(k, slot, value)))
    events: Events = [SlotSet(PREFILL_SLOT, None)]
    if items:
        dispatcher.utter_message(text=talk_data().message("prefill_intro").format(items="; ".join(items)))
        events += [SlotSet(slot, value) for slot, value in accepted.items()]
    return events


def _typed(k: Any, question: screening.Question, value: str) -> str:
    """The answer a user would type for ``value`` (so the question's own parser checks it)."""
    if question.kind == "age":
        return next((b["label"] for b in k.risk_rules["age"]["bands"] if b["id"] == value), value)
    if question.kind == "case_status":
        return k.pathways[value].question_label if value in k.pathways else value
    return value.replace("_", " ")


def _label(k: Any, question: screening.Question) -> str:
    return question.indicator.name if question.indicator else question.slot.replace("_", " ")


def _shown(k: Any, slot: str, value: str) -> str:
    if slot == "age_band":
        return next((b["label"] for b in k.risk_rules["age"]["bands"] if b["id"] == value), value)
    if slot == "case_status" and value in k.pathways:
        return k.pathways[value].label
    return k.message("screening.rating_labels").get(value, value.replace("_", " "))


class AskScreeningQuestion(Action):
    """Asks one form slot's question with its options as buttons (subclassed per slot)."""

    slot = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        k = kb()
        question = screening.question(k, self.slot)
        assert question is not None
        who = tracker.get_slot("audience") or answers.PRACTITIONER
        choices = [Button(title=o, payload=o) for o in screening.options(k, question)]
        dispatcher.utter_message(text=screening.prompt(k, question, who), buttons=buttons(choices))
        return []


# One ask action per slot: Rasa's form looks for `action_ask_<slot>`. Loading the
# knowledge here also validates it when the action server starts.
for _slot in screening.slot_names(kb()):
    globals()[f"AskScreening_{_slot}"] = type(f"AskScreening_{_slot}", (AskScreeningQuestion,), {"slot": _slot})


# parsing.Change names fields as people do; the form's slots are named for what they hold.
_FIELD_SLOTS = {"age": "age_band", "role": "audience"}


class ValidateScreeningForm(Action):
    def name(self) -> str:
        return f"validate_{FORM}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        slot = tracker.get_slot("requested_slot")
        intent = latest_intent(tracker)
        if not slot or intent in HANDED_TO_RULES:
            return []  # activation, or a turn the rules answer
        k = kb()
        text = latest_text(tracker)
        who, events = audience(tracker)
        question = screening.question(k, slot)
        if question is None:
            return []
        events.append(_turn(tracker))

        change = parsing.parse_change(k, text)
        if change:
            return events + self._change(dispatcher, tracker, change)
        if intent == "go_back":
            return events + self._back(dispatcher, tracker, slot)
        if intent == "explain_question" and screening.parse(k, question, text) is None:
            return events + self._explain(dispatcher, tracker, question, who)
        if intent in ("resume_screening", "start_screening"):
            return events

        value = screening.parse(k, question, text)
        if question.kind == "age":
            age = parsing.parse_age(k, text)
            if age and age.dob_given:
                say(dispatcher, "screening.dob_refused")
                return events
        if value is not None:
            return events + self._answered(dispatcher, slot, value)

        reply = respond(tracker, who, in_form=True)  # "and their email?" mid-screening (issue 11)
        if reply is not None:
            return events + send_reply(dispatcher, reply)
        faq = answers.answer(k, intent, text, who) if intent.startswith("ask_") else None
        if faq is not None:
            send_answer(dispatcher, faq)
            entry = answers.select(k, intent, text)
            if entry is not None:
                events.append(SlotSet(TOPIC_SLOT, conversation.topic_after(k, entry, context(tracker)).to_slot()))
            return events
        if question.kind == "age":
            say(dispatcher, "screening.not_understood_age")
        else:
            examples = ", ".join(screening.options(k, question)[:3])
            say(dispatcher, "screening.not_understood", examples=examples)
        return events

    @staticmethod
    def _explain(dispatcher: CollectingDispatcher, tracker: Tracker, question: screening.Question,
                 who: str) -> Events:
        """ "why do you ask?" explains this question; "what does coercion mean?" names
        something else, so it gets that topic's answer (or that indicator's explanation)."""
        k = kb()
        text = latest_text(tracker)
        named = parsing.find_indicator(k, text)
        current = question.indicator.id if question.indicator else None
        if named is None or named == current:
            dispatcher.utter_message(text=screening.explain(k, question, who))
            return []
        ranking = tracker.latest_message.get("intent_ranking") or []
        topic = next((r["name"] for r in ranking if r["name"].startswith("ask_") and r["confidence"] >= 0.1), None)
        faq = answers.answer(k, topic, text, who) if topic else None
        if faq is not None:
            send_answer(dispatcher, faq)
        else:
            other = screening.question(k, screening.IND_PREFIX + named)
            dispatcher.utter_message(text=screening.explain(k, other, who))
        return []

    @staticmethod
    def _answered(dispatcher: CollectingDispatcher, slot: str, value: str) -> Events:
        events: Events = [SlotSet(slot, value)]
        if slot == "screen_danger" and value in (parsing.YES, parsing.NOT_SURE):
            say(dispatcher, "emergency")
            if value == parsing.YES:
                say(dispatcher, "screening.danger_yes_then")
                return events + pause_events()
        if slot == "age_band" and value == "adult":
            say(dispatcher, "screening.adult")
            return events + [SlotSet("requested_slot", None)]
        return events

    @staticmethod
    def _change(dispatcher: CollectingDispatcher, tracker: Tracker, change: parsing.Change) -> Events:
        k = kb()
        slot = _FIELD_SLOTS.get(change.field, change.field)  # "change age to 12" -> age_band
        question = screening.question(k, screening.IND_PREFIX + change.field) or screening.question(k, slot)
        value = screening.parse(k, question, change.value_text) if question else None
        if question is None or value is None:
            say(dispatcher, "screening.change_unknown")
            return []
        name = question.indicator.name if question.indicator else question.slot.replace("_", " ")
        label = k.message("screening.rating_labels").get(value, value.replace("_", " "))
        say(dispatcher, "screening.changed", name=name, rating=label)
        return [SlotSet(question.slot, value)]

    @staticmethod
    def _back(dispatcher: CollectingDispatcher, tracker: Tracker, slot: str) -> Events:
        names = screening.slot_names(kb())
        answered = [s for s in names[: names.index(slot)] if tracker.get_slot(s) and s != "audience"]
        if not answered:
            say(dispatcher, "screening.back_at_start")
            return []
        previous = answered[-1]
        return [SlotSet(previous, None), SlotSet("requested_slot", previous)]


class ActionScreeningOutcome(Action):
    """After the form: the outcome, or nothing scored (adult, paused)."""

    def name(self) -> str:
        return "action_screening_outcome"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        k = kb()
        current = state(tracker)
        if current.get("age_band") == "adult":
            return reset_events()
        if tracker.get_slot(PAUSED) or not screening.is_complete(k, current):
            return [SlotSet(PAUSED, True)]
        result = screening.result(k, current)
        for message in result.messages:
            dispatcher.utter_message(text=message)
        dispatcher.utter_message(text=result.summary)
        pathway = k.pathways[result.pathway]
        if pathway.process_map:
            entry = next(e for e in k.entries.values() if e.pathway == pathway.id)
            payload = f'/ask_process_map{{"topic":"{entry.id}"}}'
            dispatcher.utter_message(text=k.message("screening.outcome_map_offer"),
                                     buttons=[{"title": k.message("screening.outcome_map_button"), "payload": payload}])
        _keep_anonymous_record(k, current, result)
        # the outcome is the topic now: "and if it was high?" reads against this pathway
        level = result.outcome.level if result.outcome.level in ("low", "medium", "high") else None
        entry = next((e for e in k.entries.values() if e.pathway == result.pathway), None)
        topic = conversation.Context(entry.id if entry else None, result.pathway, level, context(tracker).said)
        return reset_events() + [SlotSet("last_level", result.outcome.level), SlotSet("last_pathway", result.pathway),
                                 SlotSet(TOPIC_SLOT, topic.to_slot())]


def _keep_anonymous_record(k: Any, current: dict[str, Any], result: screening.Result) -> None:
    """Count the completed screening (no identifiers); the outcome is given regardless."""
    try:
        records.record(_records_engine(), k, current, result)
    except (SQLAlchemyError, storage.StorageUnavailable) as exc:
        logger.error("Could not keep the anonymous screening record: %s", exc.__class__.__name__)


@functools.lru_cache(maxsize=1)
def _records_engine() -> Engine:
    engine = storage.make_engine()
    records.migrate(engine)
    return engine


class ActionScreeningStop(Action):
    """"stop" / "cancel": confirmed, nothing scored, nothing kept."""

    def name(self) -> str:
        return "action_screening_stop"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        in_progress = tracker.active_loop.get("name") == FORM or tracker.get_slot(PAUSED)
        if not in_progress:
            answered_instead = reply_in_context(dispatcher, tracker)
            if answered_instead is not None:
                return answered_instead
        say(dispatcher, "screening.cancelled" if in_progress else "screening.nothing_to_resume")
        return reset_events() + [ActiveLoop(None)]
