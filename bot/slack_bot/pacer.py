"""One message per second per channel (Slack's posting limit), channels in parallel.

A channel's next message starts `interval` after the previous one was *answered*: Slack had
counted it by then, so however slow the network, the next one never arrives too early.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class ChannelPacer:
    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self._locks: dict[str, asyncio.Lock] = {}
        self._next: dict[str, float] = {}

    @asynccontextmanager
    async def slot(self, channel: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(channel, asyncio.Lock())
        async with lock:
            wait = self._next.get(channel, 0.0) - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                yield
            finally:
                self._next[channel] = time.monotonic() + self.interval
        self._forget_idle()

    def _forget_idle(self) -> None:
        if len(self._next) < 10_000:
            return
        now = time.monotonic()
        for ch in [c for c, t in self._next.items() if t < now and not self._locks[c].locked()]:
            self._next.pop(ch, None)
            self._locks.pop(ch, None)
