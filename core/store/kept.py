"""A small value read from Redis that nearly every answer wants and that changes about once a
day (the published dates, the newest day's languages), kept in memory by an asyncio process.

- Read once for every caller in flight: all the answers that miss at one moment wait for one
  read (a lock would hand itself on to one waiter per turn of the event loop).
- After `ttl` seconds it is served as it is while one read refreshes it behind: at 50 requests
  in flight, making every one of them wait a round trip each time it expired was a whole turn
  of the loop added to 1-3% of all answers, the p99 (bench/web.py).
- `forget()` (a day was published) drops it: the next callers wait for a fresh read, and a
  read under way then is not kept, since it may have missed the change.

A value is kept under a key (the newest date, say); asking under another key waits for a read.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

log = logging.getLogger(__name__)


class Kept(Generic[K, V]):
    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._value: tuple[K, float, V] | None = None  # key, fresh until (monotonic), value
        self._reading: tuple[K, asyncio.Future[V]] | None = None  # the one read under way
        self._forgets = 0

    async def get(self, key: K, read: Callable[[], Awaitable[V]]) -> V:
        kept = self._value
        if kept is not None and kept[0] == key:
            if kept[1] <= time.monotonic():
                self._start(key, read)  # served stale meanwhile; a failed refresh is logged
            return kept[2]
        return await asyncio.shield(self._start(key, read))

    def forget(self) -> None:
        self._forgets += 1
        self._value = self._reading = None

    def _start(self, key: K, read: Callable[[], Awaitable[V]]) -> asyncio.Future[V]:
        under_way = self._reading
        if under_way is None or under_way[0] != key or under_way[1].done():
            future = asyncio.ensure_future(self._read_and_keep(key, read))
            future.add_done_callback(_retrieved)
            self._reading = under_way = (key, future)
        return under_way[1]

    async def _read_and_keep(self, key: K, read: Callable[[], Awaitable[V]]) -> V:
        forgets = self._forgets
        got = await read()
        if forgets == self._forgets:
            self._value = (key, time.monotonic() + self.ttl, got)
        return got


def _retrieved(future: asyncio.Future[Any]) -> None:
    """A refresh nobody waited for may fail (Redis away): say so once, not 'never retrieved'."""
    if not future.cancelled() and (e := future.exception()) is not None:
        log.warning("refreshing a kept value failed: %s: %s", type(e).__name__, e)


__all__ = ["Kept"]
