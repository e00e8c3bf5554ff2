"""A small in-process cache whose entries expire after `ttl` seconds, the least recently used
dropped first beyond `size`: the web's rendered pages and charts, the bots' answers.

What goes in is built from Redis reads of published days, which change only when a day is
published again: whoever keeps one also clears it on digest.ready (core/store/async_reader.
follow_ready), so `ttl` only bounds the staleness of a missed event. `size` or `ttl` of 0 keeps
nothing (a setting that turns the cache off).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    def __init__(
        self, ttl: float = 30.0, size: int = 2048, now: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl, self.size, self._now = ttl, size, now
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def get(self, key: K) -> V | None:
        hit = self._items.get(key)
        if hit is None:
            return None
        if hit[0] < self._now():
            del self._items[key]
            return None
        self._items.move_to_end(key)
        return hit[1]

    def put(self, key: K, value: V) -> V:
        """Keep `value` (unless the cache is off); returns it."""
        if self.size <= 0 or self.ttl <= 0:
            return value
        self._items[key] = (self._now() + self.ttl, value)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return value

    def clear(self, *_: object) -> None:
        """Forget everything (a follow_ready callback: it is given the published day)."""
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


__all__ = ["TtlCache"]
