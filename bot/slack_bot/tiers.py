"""Slack's per-method rate tiers, kept on our side: a call to a tiered method waits for room in
its workspace's minute instead of drawing a 429 (docs.slack.dev/apis/web-api/rate-limits: limits
apply per method, per app, per workspace; each method's page names its tier).

Tier 2 allows 20+ calls a minute, tier 3 50+, tier 4 100+; the "+" is bursts Slack may allow,
so pacing at the number itself never overruns. Other processes of the app share the same
limits: their 429s are waited out by the SDK (bot/slack_bot/client.py).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

PER_MINUTE = {
    "conversations.history": 50,
    "conversations.join": 50,
    "conversations.replies": 50,
    "files.completeUploadExternal": 100,
    "files.delete": 50,
    "files.getUploadURLExternal": 100,
    "files.info": 100,
    "users.info": 100,
    "views.open": 100,
    "views.publish": 100,
}


class TierPacer:
    def __init__(self, minute: float = 60.0, per_minute: dict[str, int] | None = None) -> None:
        self.minute = minute
        self.per_minute = PER_MINUTE if per_minute is None else per_minute
        self._done: dict[tuple[str, str], deque[float]] = {}  # when recent calls were answered
        self._flying: dict[tuple[str, str], int] = {}
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}

    @asynccontextmanager
    async def slot(self, team: str, method: str) -> AsyncIterator[None]:
        """Wait until `method` has room in `team`'s minute, then count this call. A call counts
        from when it was answered (Slack had counted it by then), so however slow the network,
        the minute never holds one too many."""
        limit = self.per_minute.get(method)
        if limit is None:
            yield
            return
        key = (team, method)
        done = self._done.setdefault(key, deque())
        async with self._locks.setdefault(key, asyncio.Lock()):
            while True:
                while done and done[0] <= time.monotonic() - self.minute:
                    done.popleft()
                if len(done) + self._flying.get(key, 0) < limit:
                    break
                wait = done[0] + self.minute - time.monotonic() if done else 0.01
                await asyncio.sleep(max(wait, 0.01))
            self._flying[key] = self._flying.get(key, 0) + 1
        try:
            yield
        finally:
            self._flying[key] -= 1
            done.append(time.monotonic())

    def floor(self, calls: dict[str, int]) -> float:
        """The least time `calls` (method -> count, in one workspace) can take at these limits."""
        need = [
            (n - 1) // self.per_minute[m] * self.minute
            for m, n in calls.items()
            if m in self.per_minute and n > 0
        ]
        return float(max(need, default=0))
