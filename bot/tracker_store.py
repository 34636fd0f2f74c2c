"""Rasa's SQL tracker store, made safe for a safeguarding assistant (issue 5).

- User text is redacted (cse_core.redaction) before it reaches the database; NLU and the
  safety check have already seen the original in memory for that turn.
- At start-up an unreachable database fails within seconds with a clear message, instead
  of Rasa's retry-forever loop.
- While running, a database error is logged, counted for the health check and reported
  to the channel so the user is told; it is never hidden by Rasa's silent fall-back to an
  in-memory store (this store does not raise into FailSafeTrackerStore).
- "Delete my conversation": when a turn ran ``action_forget``, the whole conversation is
  deleted instead of saved.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from cse_core import storage
from cse_core.redaction import redact, warm_up

logger = logging.getLogger(__name__)
FORGET_ACTION = "action_forget"


@dataclass
class Health:
    """What the health check reports about the database."""

    ok: bool = True
    failures: int = 0
    last_error: str = ""
    last_error_at: float = 0.0
    failed_senders: set[str] = field(default_factory=set)

    def failed(self, sender_id: str, exc: Exception) -> None:
        self.ok = False
        self.failures += 1
        self.last_error = exc.__class__.__name__
        self.last_error_at = time.time()
        self.failed_senders.add(sender_id)

    def as_dict(self) -> dict[str, Any]:
        return {"database": "ok" if self.ok else "failing", "failures": self.failures,
                "last_error": self.last_error, "last_error_at": self.last_error_at}


def redact_event(data: dict[str, Any]) -> dict[str, Any]:
    """The event as stored: user text (and its copy in parse_data) redacted."""
    if data.get("event") == "user":
        if data.get("text"):
            data["text"] = redact(data["text"])
        parse = data.get("parse_data") or {}
        if parse.get("text"):
            parse["text"] = redact(parse["text"])
        for ent in parse.get("entities") or []:
            if isinstance(ent.get("value"), str):
                ent["value"] = redact(ent["value"])
    return data


class RedactingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, domain: Domain | None = None, event_broker: EventBroker | None = None,
                 url: str | None = None, **kwargs: Any) -> None:
        kwargs.pop("host", None)
        self.engine = storage.make_engine(url)
        storage.check(self.engine)  # StorageUnavailable: Rasa stops with this message
        self.Base.metadata.create_all(self.engine)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.health = Health()
        warm_up()  # load the redaction tables now, not on the first user's message
        TrackerStore.__init__(self, domain, event_broker, **kwargs)
        logger.info("Conversations are stored, redacted, in %s", self.engine.url.render_as_string(hide_password=True))

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        try:
            tracker = await super().retrieve(sender_id)
        except sa.exc.SQLAlchemyError as exc:
            self._failed(sender_id, exc, "read")
            return None
        self.health.ok = True
        return tracker

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        try:
            return await super().retrieve_full_tracker(conversation_id)
        except sa.exc.SQLAlchemyError as exc:
            self._failed(conversation_id, exc, "read")
            return None

    async def save(self, tracker: DialogueStateTracker) -> None:
        try:
            if _ran_forget(tracker):
                storage.forget(self.engine, tracker.sender_id)
                return
            self._save_redacted(tracker)
            self.health.ok = True
        except sa.exc.SQLAlchemyError as exc:
            self._failed(tracker.sender_id, exc, "save")

    def _save_redacted(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = redact_event(event.as_dict())
                session.add(self.SQLEvent(
                    sender_id=tracker.sender_id,
                    type_name=event.type_name,
                    timestamp=data.get("timestamp"),
                    intent_name=(data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
                    action_name=data.get("name"),
                    data=json.dumps(data),
                ))
            session.commit()

    def _failed(self, sender_id: str, exc: Exception, what: str) -> None:
        # The error class only: SQL errors can echo the statement and its values.
        logger.error("Conversation store failed to %s: %s", what, exc.__class__.__name__)
        self.health.failed(sender_id, exc)

    def take_failure(self, sender_id: str) -> bool:
        """True once if this conversation's last turn could not be stored."""
        if sender_id in self.health.failed_senders:
            self.health.failed_senders.discard(sender_id)
            return True
        return False


def _ran_forget(tracker: DialogueStateTracker) -> bool:
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name == FORGET_ACTION:
            return True
    return False


def find(store: Any) -> RedactingSQLTrackerStore | None:
    """Our store inside the wrappers Rasa puts around it."""
    for _ in range(4):
        if isinstance(store, RedactingSQLTrackerStore):
            return store
        store = getattr(store, "_tracker_store", None)
    return None
