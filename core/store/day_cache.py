"""A bounded in-process cache of what was decoded from published days, keyed by (day, …).

A day's keys change only when the day is published (again), and a publish appends digest.ready
with its date in the same transaction (core/store/writer.py); a reader that follows those events
(core/store/async_reader.follow_ready, or the delivery loop) calls `forget(day)`, which drops the
day's entries at once. A read that began before that event must not be stored after it: `put`
takes the day's generation taken before the read (`generation`) and stores nothing once it has
moved on. Should the events stop arriving (nobody follows them), an entry lives `ttl` seconds.

Values are shared between requests: callers must not change what they get.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")
Key = tuple[str, ...]  # the day first


class DayCache(Generic[V]):
    def __init__(
        self, size: int = 1024, ttl: float = 30.0, now: Callable[[], float] = time.monotonic
    ) -> None:
        self.size, self.ttl, self._now = size, ttl, now
        self._items: dict[Key, tuple[float, V]] = {}  # oldest use first
        self._generations: dict[str, int] = {}
        self._cleared = 0

    def generation(self, day: str) -> tuple[int, int]:
        """Take before reading what `put` will store: a publish of `day` in between wins."""
        return self._cleared, self._generations.get(day, 0)

    def get(self, key: Key) -> V | None:
        hit = self._items.pop(key, None)
        if hit is None or hit[0] < self._now():
            return None
        self._items[key] = hit  # now the most recently used
        return hit[1]

    def put(self, key: Key, value: V, generation: tuple[int, int]) -> None:
        if generation != self.generation(key[0]):
            return  # the day was published again while this was read: it may be the old one
        self._items.pop(key, None)
        while len(self._items) >= self.size:
            self._items.pop(next(iter(self._items)))  # the least recently used
        self._items[key] = (self._now() + self.ttl, value)

    def forget(self, day: str) -> None:
        """`day` was published: drop its entries, and refuse what was read before."""
        self._generations[day] = self._generations.get(day, 0) + 1
        for key in [k for k in self._items if k[0] == day]:
            del self._items[key]

    def clear(self) -> None:
        """Everything is gone (Redis was emptied, as between tests): drop it all, likewise."""
        self._cleared += 1
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
