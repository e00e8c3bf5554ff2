"""The published days as the bot reads them: core's reader, remembering the list of ready dates
until a day is published (client.py follows the digest.ready events and calls `forget`) or for
`ttl` seconds at most. Every section answer shows its neighbouring days, so this list is read
on almost every answer; it changes once a day."""

from __future__ import annotations

import time

from redis.asyncio import Redis

from core.store.async_reader import AsyncDayReader
from core.store.keys import Keys


class ReadyDays(AsyncDayReader):
    def __init__(
        self, redis: Redis[bytes], keys: Keys, retention_days: int = 365, ttl: float = 60.0
    ) -> None:
        super().__init__(redis, keys, retention_days)
        self.dates_ttl = ttl
        self._dates: list[str] | None = None
        self._until = 0.0

    async def dates(self) -> list[str]:
        if self._dates is None or time.monotonic() > self._until:
            self._dates = await super().dates()
            self._until = time.monotonic() + self.dates_ttl
        return list(self._dates)

    def forget(self, *_: object) -> None:
        self._dates = None
