"""Rasa's SQL tracker store, made safe for a safeguarding assistant (issue 5).

- Every event is redacted (cse_core.redaction.events: text, metadata, entity and slot
  values, bot messages) before it reaches the database; NLU and the safety check have
  already seen the original in memory for that turn.
- At start-up an unreachable database fails within seconds with a clear message, instead
  of Rasa's retry-forever loop.
- While running, a database error is logged, counted for the health check and reported
  to the channel so the user is told; it is never hidden by Rasa's silent fall-back to an
  in-memory store (this store does not raise into FailSafeTrackerStore).
- "Delete my conversation": when a turn ran ``action_forget``, the whole conversation is
  deleted instead of saved.
"""

from __future__ import annotations

import itertools
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot import rasa_patches
from cse_core import storage
from cse_core.redaction import events as redaction_events
from cse_core.redaction import logs as redaction_logs
from cse_core.redaction import warm_up

logger = logging.getLogger(__name__)
rasa_patches.install()  # cached validation of action server responses
redaction_logs.install()  # every log record of the Rasa process redacted when it is made
FORGET_ACTION = "action_forget"
STORED_MARK = "_cse_events_in_store"  # set on a tracker: how many of its events are stored


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
    """The event as stored: user text, metadata, entity and slot values, bot messages and
    anything else a person could have typed into, redacted (cse_core.redaction.events)."""
    return redaction_events.redact_event(data)


class RedactingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, domain: Domain | None = None, event_broker: EventBroker | None = None,
                 url: str | None = None, **kwargs: Any) -> None:
        kwargs.pop("host", None)
        self.engine = storage.make_engine(url)
        storage.check(self.engine)  # StorageUnavailable: Rasa stops with this message
        self.Base.metadata.create_all(self.engine)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.health = Health()
        self._queries()
        warm_up()  # load the redaction tables now, not on the first user's message
        TrackerStore.__init__(self, domain, event_broker, **kwargs)
        logger.info("Conversations are stored, redacted, in %s", self.engine.url.render_as_string(hide_password=True))

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        # Rasa's version through plain SQL: the ORM's per-row objects cost more than the
        # rest of reading a conversation (py-spy, issue 7). Same rows, same order.
        query = self._all_sessions_query if fetch_events_from_all_sessions else self._latest_session_query
        with self.engine.connect() as conn:
            rows = conn.execute(query, {"sender": sender_id}).scalars().all()
        if not (self.domain and rows):
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, [json.loads(row) for row in rows], self.domain.slots)
        if not fetch_events_from_all_sessions:
            # What the database holds of this tracker, so save() need not count it again.
            setattr(tracker, STORED_MARK, len(rows))
        return tracker

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
        """Append the events the database does not hold yet, redacted, in one transaction."""
        stored = getattr(tracker, STORED_MARK, None)
        with self.engine.begin() as conn:
            if stored is None:  # a tracker this store did not load: count, as Rasa does
                stored = conn.execute(self._count_query, {"sender": tracker.sender_id}).scalar_one()
            new = list(itertools.islice(tracker.events, stored, None))
            rows = []
            for event in new:
                data = redact_event(event.as_dict())
                rows.append({
                    "sender_id": tracker.sender_id,
                    "type_name": event.type_name,
                    "timestamp": data.get("timestamp"),
                    "intent_name": (data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
                    "action_name": data.get("name"),
                    "data": json.dumps(data),
                })
            if rows:
                conn.execute(self.SQLEvent.__table__.insert(), rows)
        setattr(tracker, STORED_MARK, stored + len(new))

    def _queries(self) -> None:
        """The statements every turn runs, built once (Rasa's _event_query, in Core SQL)."""
        events = self.SQLEvent.__table__
        sender = sa.bindparam("sender")
        session_start = (sa.select(sa.func.max(events.c.timestamp))
                         .where(events.c.sender_id == sender, events.c.type_name == SessionStarted.type_name)
                         .scalar_subquery())
        latest = sa.or_(events.c.timestamp >= session_start, session_start.is_(None))
        everything = sa.select(events.c.data).where(events.c.sender_id == sender)
        self._all_sessions_query = everything.order_by(events.c.id)
        self._latest_session_query = everything.where(latest).order_by(events.c.id)
        self._count_query = sa.select(sa.func.count()).select_from(events).where(
            events.c.sender_id == sender, latest)

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
