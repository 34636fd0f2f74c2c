"""The redacting SQL tracker store, on SQLite and on the real PostgreSQL server (issue 5)."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import RedactingSQLTrackerStore, StoreUnavailable
from cse_core import storage

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
SECRET = "My daughter Chloe Smith lives at 12 Elm Road, DL2 2AB, ring 07700 900123"


def conversation(sender: str, text: str = SECRET, then: str | None = None) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, [])
    tracker.update(UserUttered(text, {"name": "ask_what_to_do", "confidence": 0.9}))
    tracker.update(ActionExecuted("action_answer"))
    tracker.update(BotUttered("Contact the Children's Access Point"))
    tracker.update(ActionExecuted("action_listen"))
    if then:
        tracker.update(ActionExecuted(then))
    return tracker


def stored_rows(engine: sa.engine.Engine, sender: str) -> list[str]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(sa.text("SELECT data FROM events WHERE sender_id = :s"), {"s": sender})]


@pytest.fixture()
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'cse.db'}"


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    name = f"cse_test_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        conn.execute(sa.text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, sqlite_url) -> str:
    return sqlite_url if request.param == "sqlite" else request.getfixturevalue("postgres_url")


def test_only_redacted_text_is_stored(url):
    store = RedactingSQLTrackerStore(Domain.empty(), url=url)
    sender = uuid.uuid4().hex
    asyncio.run(store.save(conversation(sender)))
    rows = "\n".join(stored_rows(store.engine, sender))
    for identifier in ("Chloe", "Smith", "Elm Road", "DL2 2AB", "07700"):
        assert identifier not in rows
    assert "[NAME]" in rows and "[PHONE]" in rows
    restored = asyncio.run(store.retrieve(sender))
    assert restored is not None and "[PHONE]" in restored.latest_message.text


def test_a_forget_turn_deletes_the_whole_conversation(url):
    store = RedactingSQLTrackerStore(Domain.empty(), url=url)
    sender = uuid.uuid4().hex
    asyncio.run(store.save(conversation(sender)))
    assert stored_rows(store.engine, sender)
    tracker = conversation(sender, then="action_forget")
    asyncio.run(store.save(tracker))
    assert stored_rows(store.engine, sender) == []


def test_unreachable_database_fails_start_up_within_seconds(monkeypatch):
    # "Within seconds" is the driver's connect timeout, not this machine's speed (no wall clock).
    made: list[dict] = []
    create_engine = storage.sa.create_engine

    def recording(url, **kwargs):
        made.append(kwargs)
        return create_engine(url, **kwargs)

    monkeypatch.setattr(storage.sa, "create_engine", recording)
    with pytest.raises(storage.StorageUnavailable, match="cannot reach the database at postgresql://"):
        RedactingSQLTrackerStore(Domain.empty(), url="postgresql://postgres:secret@127.0.0.1:1/cse")
    assert [kwargs["connect_args"]["connect_timeout"] for kwargs in made] == [storage.CONNECT_TIMEOUT_S]
    assert 0 < storage.CONNECT_TIMEOUT_S <= 10


def test_password_is_not_in_the_error():
    with pytest.raises(storage.StorageUnavailable) as err:
        RedactingSQLTrackerStore(Domain.empty(), url="postgresql://postgres:hunter2@127.0.0.1:1/cse")
    assert "hunter2" not in str(err.value)


def test_a_database_failure_stops_the_turn_and_readiness_tells_the_truth_now(postgres_url):
    """Read and save raise StoreUnavailable (which Rasa's FailSafeTrackerStore cannot
    swallow into an empty in-memory tracker); nothing partial is written; readiness is
    false during the outage and true again once the database is back, without a restart."""
    from rasa.core.tracker_store import FailSafeTrackerStore

    store = RedactingSQLTrackerStore(Domain.empty(), url=postgres_url)
    sender = uuid.uuid4().hex
    asyncio.run(store.save(conversation(sender)))
    assert asyncio.run(store.ready())
    name = postgres_url.rsplit("/", 1)[1]
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:  # a real outage: no new connections, existing ones killed
        conn.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
        conn.execute(sa.text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
    try:
        store.engine.dispose()
        wrapped = FailSafeTrackerStore(store)  # as Rasa's agent wraps every tracker store
        with pytest.raises(StoreUnavailable):
            asyncio.run(wrapped.retrieve(sender))
        longer = conversation(sender, text="second message")
        _turn(longer, "third message")
        with pytest.raises(StoreUnavailable):
            asyncio.run(wrapped.save(longer))
        store._ready = (0.0, True)  # no cached answer: ask the database now
        assert not asyncio.run(store.ready())
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()
    store._ready = (0.0, False)
    assert asyncio.run(store.ready())
    assert len(stored_rows(store.engine, sender)) == 4, "nothing of the failed save was kept"
    restored = asyncio.run(store.retrieve(sender))
    assert len([e for e in restored.events if isinstance(e, UserUttered)]) == 1, "the conversation as it was"
    asyncio.run(store.save(longer))  # the next save after recovery stores the turn whole
    assert len(stored_rows(store.engine, sender)) == len(longer.events)


def test_a_write_too_big_for_a_column_fails_that_message_only(sqlite_url, postgres_url):
    """A sender id over 255 characters raised a DataError on PostgreSQL and left the store
    "failing" for good; now it fails that save alone and the store stays ready."""
    store = RedactingSQLTrackerStore(Domain.empty(), url=postgres_url)
    with pytest.raises(StoreUnavailable):
        asyncio.run(store.save(conversation("x" * 300)))
    store._ready = (0.0, False)
    assert asyncio.run(store.ready())
    sender = uuid.uuid4().hex
    asyncio.run(store.save(conversation(sender)))
    assert len(stored_rows(store.engine, sender)) == 4


def test_purge_deletes_only_what_is_older_than_the_retention_period(sqlite_url):
    store = RedactingSQLTrackerStore(Domain.empty(), url=sqlite_url)
    old, new = uuid.uuid4().hex, uuid.uuid4().hex
    asyncio.run(store.save(conversation(old)))
    asyncio.run(store.save(conversation(new)))
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE events SET timestamp = :t WHERE sender_id = :s"),
                     {"t": time.time() - 31 * 86400, "s": old})
    deleted = storage.purge(store.engine, days=30)
    assert deleted == 4
    assert stored_rows(store.engine, old) == []
    assert len(stored_rows(store.engine, new)) == 4
    assert json.loads(stored_rows(store.engine, new)[0])["event"]


def _turn(tracker: DialogueStateTracker, text: str) -> None:
    tracker.update(UserUttered(text, {"name": "ask_signs", "confidence": 0.9}))
    tracker.update(ActionExecuted("action_answer"))
    tracker.update(BotUttered(f"answer to {text}"))
    tracker.update(ActionExecuted("action_listen"))


def _rasa_reads(url: str, sender: str, domain: Domain) -> list[dict]:
    """What Rasa's own SQL tracker store reads from the same database (latest session)."""
    from rasa.core.tracker_store import SQLTrackerStore

    parsed = sa.engine.make_url(url)
    rasa_store = SQLTrackerStore(domain, dialect=parsed.get_backend_name(), host=parsed.host, port=parsed.port,
                                 db=parsed.database, username=parsed.username, login_db=None)
    tracker = asyncio.run(rasa_store.retrieve(sender))
    rasa_store.engine.dispose()
    return [e.as_dict() for e in tracker.events]


def test_turn_by_turn_saves_store_each_event_once_and_read_back_as_rasa_reads_them(url):
    from rasa.shared.core.events import ActionExecuted as Action
    from rasa.shared.core.events import SessionStarted

    domain = Domain.from_yaml("version: '3.1'\nintents: [ask_signs]")
    store = RedactingSQLTrackerStore(domain, url=url)
    sender = uuid.uuid4().hex
    tracker = DialogueStateTracker(sender, domain.slots)
    _turn(tracker, "first question")
    asyncio.run(store.save(tracker))
    for i in range(3):  # as the Rasa server does: load, add a turn, save
        tracker = asyncio.run(store.retrieve(sender))
        _turn(tracker, f"question {i}")
        asyncio.run(store.save(tracker))
    # a new session starts inside a turn: only its events are read back afterwards
    tracker = asyncio.run(store.retrieve(sender))
    tracker.update(Action("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(Action("action_listen"))
    _turn(tracker, "after the new session")
    asyncio.run(store.save(tracker))
    asyncio.run(store.save(tracker))  # saving the same tracker again adds nothing

    assert len(stored_rows(store.engine, sender)) == 4 * 4 + 3 + 4
    ours = asyncio.run(store.retrieve(sender))
    assert [e.as_dict() for e in ours.events] == _rasa_reads(url, sender, domain)
    assert [e.text for e in ours.events if isinstance(e, UserUttered)] == ["after the new session"]
    everything = asyncio.run(store.retrieve_full_tracker(sender))
    assert len(everything.events) == 4 * 4 + 3 + 4


def test_a_tracker_the_store_did_not_load_is_counted_before_saving(url):
    store = RedactingSQLTrackerStore(Domain.empty(), url=url)
    sender = uuid.uuid4().hex
    asyncio.run(store.save(conversation(sender)))
    longer = conversation(sender)  # the same events, built elsewhere, plus one turn
    _turn(longer, "one more")
    asyncio.run(store.save(longer))
    assert len(stored_rows(store.engine, sender)) == len(longer.events)


def test_database_server_calls_leave_the_event_loop_sqlite_calls_do_not(sqlite_url, postgres_url, monkeypatch):
    import threading

    for url, expected in ((postgres_url, "cse-db"), (sqlite_url, "MainThread")):
        store = RedactingSQLTrackerStore(Domain.empty(), url=url)
        threads = []
        real = store._fetch

        def fetch(query, sender, real=real, threads=threads):
            threads.append(threading.current_thread().name)
            return real(query, sender)

        monkeypatch.setattr(store, "_fetch", fetch)
        asyncio.run(store.retrieve(uuid.uuid4().hex))
        assert threads and threads[0].startswith(expected), (url.split(":")[0], threads)
