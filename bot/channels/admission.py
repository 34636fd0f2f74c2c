"""How many messages one Rasa process works on at once (issue 7).

Rasa interleaves every message in progress on one event loop: under load each message's
time stretches over everybody else's steps (processor sharing), so the slowest turns
(a screening answer: two action-server calls) wait longest. Admitting a few at a time,
first come first served, keeps the CPU busy while one message waits for the action server
and makes a message's time its queue position plus its own work. Measured here at 20
concurrent conversations: the same throughput and a much shorter 95th percentile.

``CSE_MAX_CONCURRENT_MESSAGES`` (default 3; 0 = no limit) is the number admitted. A
conversation's own messages are still serialised by Rasa's lock inside.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

DEFAULT_LIMIT = 3
_gates: dict[int, asyncio.Semaphore] = {}


def limit() -> int:
    try:
        return max(0, int(os.environ.get("CSE_MAX_CONCURRENT_MESSAGES", DEFAULT_LIMIT)))
    except ValueError:
        return DEFAULT_LIMIT


@asynccontextmanager
async def admitted() -> AsyncIterator[None]:
    """Wait for a turn (FIFO: asyncio wakes waiters in the order they came)."""
    n = limit()
    if n == 0:
        yield
        return
    loop = asyncio.get_running_loop()
    gate = _gates.get(id(loop))
    if gate is None:
        gate = _gates[id(loop)] = asyncio.Semaphore(n)
    async with gate:
        yield
