"""Exactly-once posting of one subscription's digest for one date, part by part.

A post is several messages (a header, one reply per section). Each part is recorded in the hash
`{p}:posted:{sid}:{date}` as "pending" before it is sent and "done:{ref}" after (ref: the
platform's message id, which later parts need, e.g. a thread's parent). A restart resumes after
the last done part. A part left "pending" (the process died, or the send failed in a way that may
or may not have posted, like a 5xx or a lost connection) is looked up on the platform with
`find` before it is sent again: that is what keeps a retry or a restart from double posting.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis

from core.localtime import Clock

Send = Callable[[], Awaitable[str]]
Find = Callable[[], Awaitable[str | None]]
Transient = Callable[[BaseException], bool]

PENDING = "pending"
ALL = "_all"  # the whole post is done
log = logging.getLogger(__name__)


def never(_: BaseException) -> bool:
    return False


class Ledger:
    def __init__(
        self,
        redis: Redis[bytes],
        key: str,
        clock: Clock,
        ttl: int = 8 * 24 * 3600,
        backoff: float = 1.0,
    ) -> None:
        self.redis = redis
        self.key = key
        self.clock = clock
        self.ttl = ttl
        self.backoff = backoff  # seconds before the first retry, doubled each time

    async def done(self, part: str) -> str | None:
        """The ref a done part recorded, else None."""
        raw = await self.redis.hget(self.key, part)
        text = raw.decode() if isinstance(raw, bytes) else raw
        return text[5:] if text and text.startswith("done:") else None

    async def once(
        self,
        part: str,
        send: Send,
        *,
        find: Find | None = None,
        transient: Transient = never,
        retries: int = 3,
    ) -> str:
        """Send `part` unless it was sent for this subscription and date; return its ref."""
        raw = await self.redis.hget(self.key, part)
        state = raw.decode() if isinstance(raw, bytes) else raw
        if state and state.startswith("done:"):
            return state[5:]
        if state == PENDING and (ref := await self._found(part, find)):
            return ref
        await self._mark(part, PENDING)
        ref = await self._send(part, send, find, transient, retries)
        await self._mark(part, "done:" + ref)
        return ref

    async def _send(
        self, part: str, send: Send, find: Find | None, transient: Transient, retries: int
    ) -> str:
        for attempt in range(retries):
            try:
                return await send()
            except Exception as e:
                if not transient(e):
                    raise
                log.warning("retrying %s after a transient error: %s", part, type(e).__name__)
            await self.clock.sleep(self.backoff * 2**attempt)
            if found := await self._found(part, find):
                return found
        return await send()  # the last try: its error is the caller's

    async def finished(self) -> bool:
        return bool(await self.redis.hexists(self.key, ALL))

    async def finish(self) -> None:
        await self._mark(ALL, "1")

    async def _found(self, part: str, find: Find | None) -> str | None:
        ref = await find() if find is not None else None
        if ref:
            await self._mark(part, "done:" + ref)
        return ref

    async def _mark(self, part: str, value: str) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(self.key, part, value)
            pipe.expire(self.key, self.ttl)
            await pipe.execute()
