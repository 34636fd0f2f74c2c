"""Work that must not run on Rasa's event loop (issue 13).

Rasa serves every conversation from one asyncio loop: a step that holds the loop for
100 ms holds every other user for 100 ms, and the health probes, the rate limiter and the
999 fall-back with them. Two kinds of work leave the loop:

- **text work** (spaCy: NLU features, the safety check, redaction) of a message of
  ``INLINE_TEXT_CHARS`` (500) or more runs on ONE dedicated thread; a short message's
  (about a millisecond) stays on the loop, cheaper than two thread switches. One thread, because a spaCy ``Language`` is not documented as safe to share
  between threads; and because it is CPU-bound, more threads would not make it faster under
  the GIL. Safety checks jump the queue (``urgent=True``): an emergency never waits behind
  other people's NLU.
- **database I/O** runs on a small pool: a slow or unreachable database blocks a pool
  thread for its connect timeout, never the loop or the text thread.

Both executors are created lazily in the process that uses them and are daemon threads.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import heapq
import itertools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
DB_THREADS = 4
INLINE_TEXT_CHARS = 500


class _PriorityWorker:
    """One worker thread taking jobs in priority order (urgent first, then FIFO)."""

    def __init__(self, name: str) -> None:
        self._jobs: list[tuple[int, int, Callable[[], Any], concurrent.futures.Future]] = []
        self._order = itertools.count()
        self._ready = threading.Condition()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[[], T], urgent: bool) -> concurrent.futures.Future:
        future: concurrent.futures.Future = concurrent.futures.Future()
        with self._ready:
            heapq.heappush(self._jobs, (0 if urgent else 1, next(self._order), fn, future))
            self._ready.notify()
        return future

    def pending(self) -> int:
        return len(self._jobs)

    def _run(self) -> None:
        while True:
            with self._ready:
                while not self._jobs:
                    self._ready.wait()
                _, _, fn, future = heapq.heappop(self._jobs)
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn())
            except BaseException as exc:  # handed to the awaiting coroutine
                future.set_exception(exc)


_lock = threading.Lock()
_text: _PriorityWorker | None = None
_db: concurrent.futures.ThreadPoolExecutor | None = None


def _text_worker() -> _PriorityWorker:
    global _text
    with _lock:
        if _text is None:
            _text = _PriorityWorker("cse-text")
        return _text


def _db_pool() -> concurrent.futures.ThreadPoolExecutor:
    global _db
    with _lock:
        if _db is None:
            _db = concurrent.futures.ThreadPoolExecutor(DB_THREADS, thread_name_prefix="cse-db")
        return _db


def on_text_thread() -> bool:
    return threading.current_thread().name == "cse-text"


async def text(fn: Callable[..., T], *args: Any, urgent: bool = False, size: int | None = None) -> T:
    """Run ``fn(*args)`` on the text thread (directly if already there) and await it.

    ``size``: the characters of text the work is about. Below ``INLINE_TEXT_CHARS`` it is
    done right here: a short message's spaCy work (about a millisecond) costs less than the
    two thread switches, which on a busy machine wait for the scheduler. Long messages (up
    to the channel's length cap), where the time goes, always leave the loop."""
    if on_text_thread() or (size is not None and size < INLINE_TEXT_CHARS and not urgent):
        return fn(*args)
    return await asyncio.wrap_future(_text_worker().submit(lambda: fn(*args), urgent))


def text_sync(fn: Callable[..., T], *args: Any) -> T:
    """Run ``fn(*args)`` on the text thread from a thread that is not the event loop."""
    if on_text_thread():
        return fn(*args)
    return _text_worker().submit(lambda: fn(*args), False).result()


async def db(fn: Callable[..., T], *args: Any) -> T:
    """Run blocking database work ``fn(*args)`` on the I/O pool and await it."""
    return await asyncio.get_running_loop().run_in_executor(_db_pool(), lambda: fn(*args))
