"""bot/lock_store.py on the real Redis: tickets are unique when replicas ask at once."""

from __future__ import annotations

import threading
import uuid

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import EndpointConfig

from bot.lock_store import AtomicRedisLockStore

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379  # as in conftest.py


def _stores(db: int, count: int) -> list[AtomicRedisLockStore]:
    return [AtomicRedisLockStore(host=REDIS_HOST, port=REDIS_PORT, db=db, key_prefix="csetest") for _ in range(count)]


def test_rasa_builds_it_from_an_endpoints_entry(redis_db):
    config = EndpointConfig(url=REDIS_HOST, type="bot.lock_store.AtomicRedisLockStore", port=REDIS_PORT,
                            db=redis_db, key_prefix="cse")
    store = LockStore.create(config)
    assert isinstance(store, AtomicRedisLockStore)
    assert store.key_prefix == "cse:lock:"
    assert store.issue_ticket("c1") == 0 and store.issue_ticket("c1") == 1


def test_a_replica_asking_in_the_gap_gets_its_own_ticket(redis_db, monkeypatch):
    """Replica B issues a ticket between A's read and A's write (where Rasa's own store
    hands both ticket 0): A's transaction notices, reads again and takes the next one."""
    a, b = _stores(redis_db, 2)
    conversation = f"gap-{uuid.uuid4().hex[:8]}"
    original = TicketLock.issue_ticket
    calls = {"n": 0}

    def issue_with_b_in_the_gap(self: TicketLock, lifetime: float) -> int:
        calls["n"] += 1
        if calls["n"] == 1:  # A's first attempt, after its read: B acts now
            calls["b"] = b.issue_ticket(conversation)
        return original(self, lifetime)

    monkeypatch.setattr(TicketLock, "issue_ticket", issue_with_b_in_the_gap)
    ticket_a = a.issue_ticket(conversation)
    assert calls["b"] == 0 and ticket_a == 1, "both replicas were given the same ticket"
    lock = a.get_lock(conversation)
    assert lock.now_serving == 0 and lock.is_locked(1) and not lock.is_locked(0)


def test_many_replicas_and_threads_never_share_a_ticket(redis_db):
    stores = _stores(redis_db, 4)
    conversation = f"many-{uuid.uuid4().hex[:8]}"
    tickets: list[int] = []
    guard = threading.Lock()

    def ask(store: AtomicRedisLockStore) -> None:
        for _ in range(25):
            ticket = store.issue_ticket(conversation, lock_lifetime=600)
            with guard:
                tickets.append(ticket)

    threads = [threading.Thread(target=ask, args=(store,)) for store in stores for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(tickets) == 200
    assert sorted(tickets) == list(range(200)), "a ticket was given twice or lost"
    assert len(stores[0].get_lock(conversation).tickets) == 200


def test_releasing_a_ticket_keeps_the_others_and_the_last_one_removes_the_lock(redis_db):
    a, b = _stores(redis_db, 2)
    conversation = f"release-{uuid.uuid4().hex[:8]}"
    first, second = a.issue_ticket(conversation), b.issue_ticket(conversation)
    a.cleanup(conversation, first)
    lock = b.get_lock(conversation)
    assert lock is not None and lock.now_serving == second, "the waiting replica's ticket was dropped"
    b.cleanup(conversation, second)
    assert b.get_lock(conversation) is None
    assert not b.red.exists(b.key_prefix + conversation)


def test_expired_tickets_are_dropped_atomically_too(redis_db):
    (store,) = _stores(redis_db, 1)
    conversation = f"expired-{uuid.uuid4().hex[:8]}"
    store.issue_ticket(conversation, lock_lifetime=-1)  # already expired
    live = store.issue_ticket(conversation, lock_lifetime=600)
    store.update_lock(conversation)
    assert store.get_lock(conversation).now_serving == live
