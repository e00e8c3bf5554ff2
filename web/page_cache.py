"""A small least-recently-used cache whose entries also expire after `ttl` seconds.

Published days change only when a day is published again; a page is rendered once and served
from memory for `ttl` seconds (WEB page_ttl, 10 s by default), so a republished day shows within
that time and a busy archive costs Redis one read per page per `ttl`.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class TTLCache(Generic[V]):
    def __init__(self, size: int, ttl: float) -> None:
        self.size = size
        self.ttl = ttl
        self._items: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()

    def get(self, key: Hashable) -> V | None:
        found = self._items.get(key)
        if found is None:
            return None
        if found[0] < time.monotonic():
            del self._items[key]
            return None
        self._items.move_to_end(key)
        return found[1]

    def put(self, key: Hashable, value: V) -> V:
        if self.size <= 0 or self.ttl <= 0:
            return value
        self._items[key] = (time.monotonic() + self.ttl, value)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        self._items.clear()


__all__ = ["TTLCache"]
