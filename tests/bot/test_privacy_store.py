"""What reaches the store (issue 14): every event value redacted; rights and retention on
SQLite and on the real PostgreSQL; sender ids keyed and namespaced."""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import rights
from bot.tracker_store import RedactingSQLTrackerStore
from cse_core import identity, storage
from cse_core.redaction import logs as redaction_logs
from cse_core.redaction.events import redact_event

CANARIES = {"name": "Kaydence Whitfield", "phone": "07700 900461", "email": "kaydence.w@example.com",
            "nhs": "943 476 5919", "postcode": "DL3 7QT", "handle": "kaydence_xo99"}


def _conversation(sender: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, [])
    tracker.update(UserUttered(
        f"my daughter {CANARIES['name']} is missing, ring {CANARIES['phone']}",
        {"name": "disclosure", "confidence": 0.9},
        entities=[{"entity": "phone", "value": 7700900461, "start": 0, "end": 5},
                  {"entity": "child", "value": {"first": "Kaydence", "nhs": CANARIES["nhs"]}}],
        metadata={"from": {"name": CANARIES["name"], "email": CANARIES["email"]}, "postcode": CANARIES["postcode"]}))
    tracker.update(ActionExecuted("action_answer"))
    tracker.update(SlotSet("child_details", [CANARIES["handle"], {"email": CANARIES["email"]}]))
    tracker.update(SlotSet("age", 14))
    tracker.update(BotUttered(f"Thank you. I won't keep {CANARIES['email']}. Call CAP on 01325 406222.",
                              data={"buttons": [{"title": CANARIES["name"], "payload": "/affirm"}]}))
    tracker.update(ActionExecuted("action_listen"))
    return tracker


def _rows(engine: sa.engine.Engine, sender: str) -> str:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT sender_id, type_name, intent_name, action_name, data FROM events "
                                    "WHERE sender_id = :s"), {"s": sender}).all()
    return "\n".join(" ".join(str(c) for c in row) for row in rows)


def test_every_value_of_every_event_is_redacted():
    tracker = _conversation("s1")
    stored = json.dumps([redact_event(e.as_dict()) for e in tracker.events])
    for kind, value in CANARIES.items():
        assert value not in stored, kind
    assert "7700900461" not in stored  # an entity value that is a number
    assert "Kaydence" not in stored
    # the assistant's own names, numbers and public contacts stay
    for kept in ("disclosure", "action_answer", "child_details", "01325 406222", "/affirm", '"value": 14'):
        assert kept in stored, kept


def test_the_original_event_is_not_changed():
    event = _conversation("s2").events[0].as_dict()
    before = json.dumps(event)
    redact_event(event)
    assert json.dumps(event) == before


def test_stored_conversation_holds_no_canary(db_url):
    store = RedactingSQLTrackerStore(Domain.empty(), url=db_url)
    sender = identity.sender_id("rest", uuid.uuid4().hex)
    asyncio.run(store.save(_conversation(sender)))
    rows = _rows(store.engine, sender)
    assert rows and "[NAME]" in rows
    for kind, value in CANARIES.items():
        assert value not in rows, kind
    store.engine.dispose()


def test_export_forget_and_purge(db_url, monkeypatch, capsys):
    store = RedactingSQLTrackerStore(Domain.empty(), url=db_url)
    monkeypatch.setenv("CSE_DATABASE_URL", db_url)
    monkeypatch.setenv("CSE_SENDER_SECRET", "rights-test-secret-0123456789")
    identity.secret.cache_clear()
    try:
        mine, other = uuid.uuid4().hex, uuid.uuid4().hex
        for raw in (mine, other):
            asyncio.run(store.save(_conversation(identity.sender_id("rest", raw))))
        # export: the person's own conversation, found from the id their channel knows
        assert rights.main(["export", "--channel", "rest", "--id", mine]) == 0
        exported = json.loads(capsys.readouterr().out)
        assert exported["conversation"] == identity.sender_id("rest", mine)
        assert [e["event"] for e in exported["events"]][:2] == ["user", "action"]
        assert not any(value in json.dumps(exported) for value in CANARIES.values())
        # forget: gone at once, the other conversation kept
        assert rights.main(["forget", "--channel", "rest", "--id", mine]) == 0
        assert storage.export(store.engine, identity.sender_id("rest", mine)) == []
        assert len(storage.export(store.engine, identity.sender_id("rest", other))) == 6
        # purge: only what is past retention
        old = identity.sender_id("rest", "old-" + other)
        asyncio.run(store.save(_conversation(old)))
        with store.engine.begin() as conn:
            conn.execute(sa.text("UPDATE events SET timestamp = :t WHERE sender_id = :s"),
                         {"t": time.time() - 31 * 86400, "s": old})
        assert storage.purge(store.engine, days=30) == 6
        assert storage.export(store.engine, old) == []
        assert len(storage.export(store.engine, identity.sender_id("rest", other))) == 6
    finally:
        identity.secret.cache_clear()
        store.engine.dispose()


def test_telegram_ids_are_found_with_the_bridges_key(monkeypatch):
    monkeypatch.setenv("TELEGRAM_SENDER_KEY", "telegram-key-0123456789abcdef")
    monkeypatch.setenv("CSE_SENDER_SECRET", "rest-secret-0123456789abcdef")
    identity.secret.cache_clear()
    try:
        via_bridge = identity.keyed_id("tg", "12345", b"telegram-key-0123456789abcdef")
        assert rights.stored_id("telegram", "12345") == identity.sender_id("rest", via_bridge)
    finally:
        identity.secret.cache_clear()


def test_sender_ids_are_keyed_and_namespaced():
    key = b"k" * 32
    rest, teams = identity.sender_id("rest", "29:abc", key), identity.sender_id("teams", "29:abc", key)
    assert rest.startswith("rest-") and teams.startswith("teams-") and rest[5:] != teams[6:]
    assert "29:abc" not in rest
    assert identity.sender_id("rest", "29:abc", key) == rest  # stable
    assert identity.sender_id("rest", "29:abc", b"x" * 32) != rest  # keyed
    # a REST client naming a Teams conversation's stored id still lands in the REST namespace
    assert identity.sender_id("rest", teams, key) != teams


def test_the_default_secret_is_made_once_and_shared(tmp_path):
    path = tmp_path / "var" / "sender_secret"
    first = identity._default_secret(path)
    assert identity._default_secret(path) == first and len(first) >= 32
    assert oct(path.stat().st_mode)[-3:] == "600"


def test_a_short_or_missing_secret_file_is_an_error(tmp_path):
    with pytest.raises(identity.IdentityError, match="at least 16"):
        identity.read_secret("S", "S_FILE", {"S": "short"})
    with pytest.raises(identity.IdentityError, match="cannot read"):
        identity.read_secret("S", "S_FILE", {"S_FILE": str(tmp_path / "none")})
    (tmp_path / "key").write_text("a-long-enough-secret-value\n")
    assert identity.read_secret("S", "S_FILE", {"S_FILE": str(tmp_path / "key")}) == b"a-long-enough-secret-value"


def test_log_records_and_exceptions_are_redacted(caplog):
    redaction_logs.install()
    redaction_logs.install()  # twice changes nothing
    logger = logging.getLogger("tests.privacy")
    with caplog.at_level(logging.INFO):
        logger.info("user said %s", f"my son {CANARIES['name']} on {CANARIES['phone']}")
        try:
            raise ValueError(f"bad value {CANARIES['email']}")
        except ValueError:
            logger.exception("failed for %s", CANARIES["postcode"])
    text = caplog.text + "".join(r.exc_text or "" for r in caplog.records)
    assert "[PHONE]" in text and "ValueError" in text
    for value in CANARIES.values():
        assert value not in text


def test_access_log_lines_lose_their_query_and_identifiers():
    record = logging.LogRecord("sanic.access", logging.INFO, __file__, 1, "", (), None)
    record.request = f"GET http://h/conversations/x/tracker?token=secret&email={CANARIES['email']}"
    redaction_logs.AccessLogFilter().filter(record)
    assert "token" not in record.request and CANARIES["email"] not in record.request
