"""A small in-process cache of answers built from Redis reads.

A day's content changes only when it is published again, which appends a digest.ready event:
entries are dropped on that event (`clear`), and in any case after `ttl` seconds, so a missed
event costs at most `ttl` of staleness. Only answers that depend on nothing but the command text
and the date belong here (lookups, help, errors), never anything about a channel or a user.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    def __init__(
        self, ttl: float = 30.0, size: int = 2048, now: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl, self.size, self._now = ttl, size, now
        self._items: dict[K, tuple[float, V]] = {}

    def get(self, key: K) -> V | None:
        hit = self._items.get(key)
        if hit is None:
            return None
        if hit[0] < self._now():
            self._items.pop(key, None)
            return None
        return hit[1]

    def put(self, key: K, value: V) -> None:
        if len(self._items) >= self.size:
            self._items.pop(next(iter(self._items)))  # the oldest
        self._items[key] = (self._now() + self.ttl, value)

    def clear(self, *_: object) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
