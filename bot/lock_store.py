"""Rasa's Redis lock store, made atomic across replicas (issue 7, docs/scaling.md).

Rasa 3.6's ``RedisLockStore`` changes a conversation's ticket lock by GET, change in
Python, SET. Two replicas doing that at once for one conversation can both get the same
ticket (or one can drop the other's), and then both process a message on the same
tracker: a lost or malformed turn. Here every change is one Redis transaction
(WATCH/MULTI/EXEC, retried when another replica changed the lock in between), so tickets
are unique and released tickets never take a newer one with them. Reading the lock and
waiting for a turn are Rasa's own.

Named in an endpoints file as ``lock_store: type: bot.lock_store.AtomicRedisLockStore``
with the same keys as Rasa's ``type: redis`` (url, port, db, password, key_prefix...).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

T = TypeVar("T")


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:  # how Rasa builds a lock store named by module path
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def _change(self, conversation_id: str, change: Callable[[TicketLock | None], tuple[TicketLock | None, T]]) -> T:
        """Apply ``change`` to the stored lock in one transaction; a lock it returns with no
        tickets, or None, is deleted."""
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    serialised = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(serialised)) if serialised else None
                    lock, result = change(lock)
                    pipe.multi()
                    if lock is not None and lock.tickets:
                        pipe.set(key, lock.dumps())
                    else:
                        pipe.delete(key)
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another replica changed this lock in between: read it again

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        return self._change(conversation_id, issue)

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def remove(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, remove)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # Rasa removes the ticket, then deletes the lock if nobody waits: two steps, between
        # which another replica's new ticket could be deleted. One step here: the lock goes
        # when its last ticket does.
        self.finish_serving(conversation_id, ticket_number)
