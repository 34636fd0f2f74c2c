"""A small least-recently-used cache keyed by a message's SHA-256 digest (issue 7).

Typed screening answers repeat endlessly ("no", "a bit", "high", "not sure"), and the
classifier's and the safety check's results depend on the text alone. Keys are digests, so
the cache keeps no message text; values are probabilities and safety verdicts.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")


class DigestCache(Generic[V]):
    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._items: OrderedDict[bytes, V] = OrderedDict()
        self._lock = threading.Lock()  # used from the event loop and the text thread

    def get(self, text: str, compute: Callable[[str], V]) -> V:
        key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute(text)  # outside the lock: a long text must not hold up the others
        with self._lock:
            self._items[key] = value
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)
