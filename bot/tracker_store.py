"""Rasa's SQL tracker store, made safe for a safeguarding assistant (issues 5 and 13).

- Every event is redacted (cse_core.redaction.events: text, metadata, entity and slot
  values, bot messages) before it reaches the database; NLU and the safety check have
  already seen the original in memory for that turn.
- At start-up an unreachable database fails within seconds with a clear message, instead
  of Rasa's retry-forever loop.
- While running, a failed read or write raises ``StoreUnavailable`` and the turn stops:
  it never runs on an empty tracker, and nothing partial is saved (a turn's events are
  written in one transaction). The channel (bot/channels/gateway.py) answers that one
  message kindly; the next message tries the database again. ``StoreUnavailable`` derives
  from BaseException on purpose: Rasa wraps every tracker store in a
  ``FailSafeTrackerStore`` that catches ``Exception`` and carries on with an empty
  in-memory tracker, which is exactly what must not happen here.
- Readiness asks the database now (``ready()``: a cheap query, cached for a second), not
  a flag left behind by an old failure.
- Calls to a database server run off Rasa's event loop (an unreachable server must not
  stall every conversation for its connect timeout), and so does the redaction of long
  messages (bot/offload.py).
- "Delete my conversation": when a turn ran ``action_forget``, the whole conversation is
  deleted instead of saved.

Only Rasa's public tracker-store interface is overridden (``retrieve``,
``retrieve_full_tracker``, ``save``); tests/bot/test_rasa_guards.py notices when the
upstream classes this relies on change.
"""

from __future__ import annotations

import itertools
import json
import logging
import time
from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot import offload
from cse_core import storage
from cse_core.redaction import events as redaction_events
from cse_core.redaction import logs as redaction_logs
from cse_core.redaction import warm_up

logger = logging.getLogger(__name__)
redaction_logs.install()  # every log record of the Rasa process redacted when it is made
FORGET_ACTION = "action_forget"
STORED_MARK = "_cse_events_in_store"  # set on a tracker: how many of its events are stored
READY_CACHE_S = 1.0


class StoreUnavailable(BaseException):  # BaseException: see the module docstring
    """The conversation could not be read or saved; the turn must stop here."""


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
        self._queries()
        self._ready: tuple[float, bool] = (0.0, True)
        # A database server's calls leave the loop (an unreachable one must not stall every
        # conversation for its connect timeout); a local SQLite file's take well under a
        # millisecond, less than the two thread switches, which under the GIL cost a third
        # of the throughput when measured (bench/README.md).
        self._offload_db = self.engine.url.get_backend_name() != "sqlite"
        warm_up()  # load the redaction tables now, not on the first user's message
        TrackerStore.__init__(self, domain, event_broker, **kwargs)
        logger.info("Conversations are stored, redacted, in %s", self.engine.url.render_as_string(hide_password=True))

    # --- reading ------------------------------------------------------------------------

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        return await self._read(sender_id, all_sessions=False)

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        return await self._read(conversation_id, all_sessions=True)

    async def _read(self, sender_id: str, all_sessions: bool) -> DialogueStateTracker | None:
        # Only the query leaves the loop: decoding the rows is Python work that a thread
        # would not make faster (the GIL), only slower by the switches.
        query = self._all_sessions_query if all_sessions else self._latest_session_query
        try:
            rows = await self._db(self._fetch, query, sender_id)
        except sa.exc.SQLAlchemyError as exc:
            raise self._failed(exc, "read") from None
        if not (self.domain and rows):
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, [json.loads(row) for row in rows], self.domain.slots)
        if not all_sessions:
            # What the database holds of this tracker, so save() need not count it again.
            setattr(tracker, STORED_MARK, len(rows))
        return tracker

    async def _db(self, fn: Any, *args: Any) -> Any:
        return await offload.db(fn, *args) if self._offload_db else fn(*args)

    def _fetch(self, query: Any, sender_id: str) -> list[str]:
        # Rasa's query through plain SQL: the ORM's per-row objects cost more than the
        # rest of reading a conversation (py-spy, issue 7). Same rows, same order.
        with self.engine.connect() as conn:
            return conn.execute(query, {"sender": sender_id}).scalars().all()

    # --- writing ------------------------------------------------------------------------

    async def save(self, tracker: DialogueStateTracker) -> None:
        try:
            if _ran_forget(tracker):
                await self._db(storage.forget, self.engine, tracker.sender_id)
                redaction_events.forget_memo()
                return
            stored = getattr(tracker, STORED_MARK, None)
            if stored is None:  # a tracker this store did not load: count, as Rasa does
                stored = await self._db(self._count, tracker.sender_id)
            new = list(itertools.islice(tracker.events, stored, None))
            if new:
                size = sum(len(getattr(e, "text", None) or "") for e in new if isinstance(e, UserUttered))
                rows = await offload.text(self._rows, tracker.sender_id, new, size=size)
                await self._db(self._insert, rows)
        except sa.exc.SQLAlchemyError as exc:
            raise self._failed(exc, "save") from None
        setattr(tracker, STORED_MARK, stored + len(new))

    def _count(self, sender_id: str) -> int:
        with self.engine.connect() as conn:
            return conn.execute(self._count_query, {"sender": sender_id}).scalar_one()

    @staticmethod
    def _rows(sender_id: str, events: list[Event]) -> list[dict[str, Any]]:
        """The rows for ``events``, redacted (on the text thread: redaction uses spaCy)."""
        rows = []
        for event in events:
            data = redact_event(event.as_dict())
            rows.append({
                "sender_id": sender_id,
                "type_name": event.type_name,
                "timestamp": data.get("timestamp"),
                "intent_name": (data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
                "action_name": data.get("name"),
                "data": json.dumps(data),
            })
        return rows

    def _insert(self, rows: list[dict[str, Any]]) -> None:
        with self.engine.begin() as conn:  # one transaction: a turn is stored whole or not at all
            conn.execute(self.SQLEvent.__table__.insert(), rows)

    # --- health -------------------------------------------------------------------------

    async def ready(self) -> bool:
        """Whether the database answers now (a cheap query; cached for a second)."""
        at, ok = self._ready
        if time.monotonic() - at < READY_CACHE_S:
            return ok
        try:
            await self._db(storage.check, self.engine)
            ok = True
        except storage.StorageUnavailable:
            ok = False
        self._ready = (time.monotonic(), ok)
        return ok

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

    def _failed(self, exc: Exception, what: str) -> StoreUnavailable:
        # The error class only: SQL errors can echo the statement and its values.
        logger.error("Conversation store failed to %s: %s", what, exc.__class__.__name__)
        self._ready = (time.monotonic(), False)
        # Connections that saw the failure may stay broken (SQLite after a disk I/O error):
        # the next message opens fresh ones, so recovery needs no restart.
        self.engine.dispose()
        return StoreUnavailable(f"could not {what} the conversation ({exc.__class__.__name__})")


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
