"""A small thread-safe LRU: compiled templates and validators, kept per version."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LruCache(Generic[K, V]):
    """At most ``size`` values; the least recently used goes first.

    ``misses`` counts the values made: a warm key makes nothing. A value is made outside the
    lock, so one slow compilation never holds up the fills of other versions (two threads
    missing the same key at once may both make it; the first kept wins).
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.misses = 0
        self._values: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, make: Callable[[], V]) -> V:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = make()
        with self._lock:
            self.misses += 1
            kept = self._values.setdefault(key, value)
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return kept

    def __len__(self) -> int:
        return len(self._values)
