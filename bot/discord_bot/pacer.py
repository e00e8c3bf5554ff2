"""Keep the bot's REST requests under Discord's global rate limit (50 requests per second).

discord.py follows each route's bucket from the X-RateLimit-* headers, but learns of the global
limit only from a 429, and a daily post to hundreds of channels would hit it. This pacer is an
aiohttp trace hook: every request waits for a slot before it is sent, so no global 429 happens.
Interaction callbacks and webhook followups are exempt, as on Discord: a slash command's answer
never queues behind a daily post.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from types import SimpleNamespace
from typing import Any

import aiohttp

GLOBAL_LIMIT = 50  # requests
GLOBAL_PER = 1.0  # seconds
MARGIN = 0.04  # seconds added to the window: requests arrive with some jitter
_EXEMPT = ("/interactions/", "/webhooks/")


class GlobalPacer:
    """A sliding window: at most `limit` requests in any `per + margin` seconds."""

    def __init__(self, limit: int = GLOBAL_LIMIT, per: float = GLOBAL_PER, margin: float = MARGIN):
        self.limit = limit
        self.window = per + margin
        self._sent: deque[float] = deque()
        self._lock = asyncio.Lock()
        self.waited = 0.0  # total seconds requests spent waiting (for logs and the benchmark)

    async def acquire(self) -> None:
        async with self._lock:  # FIFO: requests go out in the order they asked
            while True:
                now = time.monotonic()
                while self._sent and now - self._sent[0] >= self.window:
                    self._sent.popleft()
                if len(self._sent) < self.limit:
                    self._sent.append(now)
                    return
                pause = self._sent[0] + self.window - now
                self.waited += pause
                await asyncio.sleep(pause)

    def trace_config(self) -> aiohttp.TraceConfig:
        config = aiohttp.TraceConfig()

        async def on_start(_: aiohttp.ClientSession, __: SimpleNamespace, params: Any) -> None:
            if not any(part in params.url.path for part in _EXEMPT):
                await self.acquire()

        config.on_request_start.append(on_start)
        return config
