"""Who gets a turn, and when (issues 7 and 13): a per-sender rate limit, a bounded queue,
and a few messages worked on at once.

Rasa interleaves every message in progress on one event loop: under load each message's
time stretches over everybody else's steps, so admitting a few at a time, first come first
served, keeps the CPU busy while one message waits for the action server and makes a
message's time its queue position plus its own work.

Before any work is queued, ``check()`` refuses (``Refused``, with a Retry-After):
- a sender over its rate (a token bucket: ``burst`` tokens at once, then ``rate`` per
  second; a message costs one token per ``chars_per_token`` characters of the text it makes
  the assistant read, at least one: a stream of 4,000-character texts is as much work as
  sixteen times as many short messages, and is limited as such) or with ``per_sender``
  messages already waiting or running (429);
- anyone when ``queue`` messages are already waiting (503): memory stays bounded under a
  flood, and the people already waiting are answered in time.

Settings (environment): CSE_MAX_CONCURRENT_MESSAGES (3; 0 = no limit on concurrency),
CSE_MAX_QUEUED_MESSAGES (100), CSE_SENDER_BURST (60), CSE_SENDER_RATE (10 per second),
CSE_SENDER_PENDING (2), CSE_CHARS_PER_TOKEN (250). Buckets are kept for the most recent
CSE_SENDERS_TRACKED (50,000) senders only. A conversation's own messages are still serialised by Rasa's lock inside.

Why these numbers: one sender's messages are answered one at a time anyway, so a client
that waits for each reply (a person, a button, a scripted test) already gets only its fair
turn in the queue; the limits are for what does not wait: more than two messages of one
sender in progress at once (one running, one waiting: a double click), or a sustained
stream of more than 10 a second after a burst of 60 (a pre-screen typed by a script is
about 25 messages). A person pasting long case notes sends a few at a time; a sender
streaming texts at the length cap (16 tokens each) gets under one a second after the burst,
so it cannot buy most of the server's text work (bench: hostile senders).
"""

from __future__ import annotations

import asyncio
import math
import os
import time
import weakref
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass


def _env(name: str, default: float, cast: Callable[[str], float] = float) -> float:
    try:
        return max(0, cast(os.environ.get(name, default)))
    except ValueError:
        return default


@dataclass(frozen=True)
class Limits:
    concurrent: int = 3
    queue: int = 100
    burst: int = 60
    rate: float = 10.0
    per_sender: int = 2
    senders_tracked: int = 50_000
    chars_per_token: int = 250

    @classmethod
    def from_env(cls) -> Limits:
        return cls(concurrent=int(_env("CSE_MAX_CONCURRENT_MESSAGES", cls.concurrent, int)),
                   queue=int(_env("CSE_MAX_QUEUED_MESSAGES", cls.queue, int)),
                   burst=max(1, int(_env("CSE_SENDER_BURST", cls.burst, int))),
                   rate=_env("CSE_SENDER_RATE", cls.rate),
                   per_sender=max(1, int(_env("CSE_SENDER_PENDING", cls.per_sender, int))),
                   senders_tracked=max(100, int(_env("CSE_SENDERS_TRACKED", cls.senders_tracked, int))),
                   chars_per_token=max(1, int(_env("CSE_CHARS_PER_TOKEN", cls.chars_per_token, int))))

    def cost(self, chars: int) -> float:
        """The tokens a message of ``chars`` characters costs: at least one, at most a burst."""
        return float(min(self.burst, max(1, math.ceil(chars / self.chars_per_token))))


class Refused(Exception):
    """Not admitted: ``status`` 429 (this sender) or 503 (everyone), retry after ``retry_after`` s."""

    def __init__(self, status: int, retry_after: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.retry_after, self.reason = status, retry_after, reason


class Admission:
    def __init__(self, limits: Limits | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits or Limits.from_env()
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # sender -> (tokens, at)
        self._pending: dict[str, int] = {}  # sender -> messages waiting or running
        self._total = 0
        self._running = 0
        self._gate = asyncio.Semaphore(self.limits.concurrent) if self.limits.concurrent else None

    @property
    def waiting(self) -> int:
        return self._total - self._running

    def check(self, sender: str, chars: int = 0) -> Ticket:
        """A place in the queue for a message of ``chars`` characters (taking its cost in
        tokens from the sender), or Refused. The place is held from now on, so simultaneous
        requests cannot all slip past the limits before any of them starts;
        ``Ticket.release`` gives it back."""
        lim = self.limits
        if self._pending.get(sender, 0) >= lim.per_sender:
            raise Refused(429, 2, "sender has too many messages in progress")
        tokens, cost = self._tokens(sender), lim.cost(chars)
        if tokens < cost:
            wait = (cost - tokens) / lim.rate if lim.rate else 60
            raise Refused(429, max(1, math.ceil(wait)), "sender rate limit")
        if lim.concurrent and self.waiting >= lim.queue:
            raise Refused(503, 5, "queue full")
        self._buckets[sender] = (tokens - cost, self._clock())
        self._pending[sender] = self._pending.get(sender, 0) + 1
        self._total += 1
        return Ticket(self, sender)

    def _tokens(self, sender: str) -> float:
        now = self._clock()
        tokens, at = self._buckets.pop(sender, (float(self.limits.burst), now))
        tokens = min(float(self.limits.burst), tokens + (now - at) * self.limits.rate)
        self._buckets[sender] = (tokens, now)  # most recent last
        while len(self._buckets) > self.limits.senders_tracked:
            self._buckets.popitem(last=False)
        return tokens

    def _release(self, sender: str) -> None:
        self._total -= 1
        left = self._pending.get(sender, 1) - 1
        if left:
            self._pending[sender] = left
        else:
            self._pending.pop(sender, None)

    @asynccontextmanager
    async def turn(self, ticket: Ticket) -> AsyncIterator[None]:
        """Wait for a turn (FIFO) and hold it; the ticket is released when it ends."""
        try:
            if self._gate is None:
                self._running += 1
                try:
                    yield
                finally:
                    self._running -= 1
                return
            async with self._gate:
                self._running += 1
                try:
                    yield
                finally:
                    self._running -= 1
        finally:
            ticket.release()


class Ticket:
    """One admitted message's place; released once, however the message ends."""

    def __init__(self, admission: Admission, sender: str) -> None:
        self._admission, self.sender, self._held = admission, sender, True

    def release(self) -> None:
        if self._held:
            self._held = False
            self._admission._release(self.sender)


_admissions: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Admission] = weakref.WeakKeyDictionary()


def get() -> Admission:
    """The process's admission for the running loop (one per loop: asyncio primitives are)."""
    loop = asyncio.get_running_loop()
    found = _admissions.get(loop)
    if found is None:
        found = _admissions[loop] = Admission()
    return found
