"""The daily post: claim what is due, post the day's digest once, schedule the next day.

For each claimed subscription the loop takes the local date of its newest post time (schedule.
latest_at). If that day is published it posts the subscription's part of the digest through the
platform's Poster (which sends each message through the Ledger, so nothing is posted twice),
marks the day done, and reschedules at the next post time. If the day is not published yet it
parks the subscription until the `digest.ready` event for that day (or a recheck time); when the
next post time comes first, that day is skipped. A failed post is tried again after `retry`.
Platform-neutral: Slack and Discord each implement Poster.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.common.due import DueQueue
from bot.common.ledger import Ledger
from bot.common.subscription import Subscription
from bot.common.subscription_store import Subscriptions
from core.digest import Digest
from core.localtime import Clock, latest_at, next_after
from core.store.async_reader import AsyncDayReader, ready_date
from core.store.keys import Keys

log = logging.getLogger(__name__)
REDIS_TRIES = 4  # Redis away (a restart): deliver again after 1, 2, 4 s, then leave it to the lease
_REDIS_DOWN = (RedisConnectionError, RedisTimeoutError)
Outcome = Literal["posted", "already", "waiting", "retry", "skipped", "gone", "lost"]


class Poster(Protocol):
    platform: str

    async def post_digest(
        self, sub: Subscription, digest: Digest, charts: Mapping[str, bytes], ledger: Ledger
    ) -> None:
        """Post `digest` (already narrowed to `sub`) to its channel, each message through
        `ledger.once`. Raise PermanentError when the channel cannot take posts."""
        ...


class PermanentError(Exception):
    """The channel is gone, archived or closed to the bot: retrying today would not help."""


@dataclass(frozen=True)
class DeliveryConfig:
    lease: float = 600.0  # a claim's length: more than one digest's post at 1 message/s
    recheck: float = 900.0  # waiting for a digest: look again this often (events wake sooner)
    retry: float = 120.0  # after a failed post
    concurrency: int = 1000  # subscriptions posting at once (each channel is paced on its own)
    idle: float = 30.0  # longest wait between two looks at the due set
    grace: float = 2.0  # on stop: seconds posts in flight may finish before they are handed back
    posted_ttl: int = 8 * 24 * 3600  # idempotency records outlive any retry or restart


class Delivery:
    def __init__(
        self,
        redis: Redis[bytes],
        keys: Keys,
        reader: AsyncDayReader,
        poster: Poster,
        clock: Clock,
        config: DeliveryConfig | None = None,
        on_ready: Callable[[str], object] | None = None,  # told each day published
    ) -> None:
        self.redis = redis
        self.keys = keys
        self.reader = reader
        self.poster = poster
        self.clock = clock
        self.config = config or DeliveryConfig()
        self.on_ready = on_ready
        self.subs = Subscriptions(redis, keys)
        self.due = DueQueue(redis, keys, poster.platform)
        self._events_from: bytes | str | None = None  # stream id of the last event handled
        self._claims: dict[str, float] = {}  # claimed and not yet delivered: sid -> lease

    async def tick(self) -> list[Outcome]:
        """Deliver everything due now and wait for it (tests drive the loop with this)."""
        outcomes: list[Outcome] = []
        while claimed := await self.due.claim(self._now(), self.config.lease, 1000):
            outcomes += await asyncio.gather(*(self.deliver(s, lease) for s, lease in claimed))
        return outcomes

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set: claim into free slots, sleep until the next due time
        or a digest.ready event, whichever comes first. Redis trouble pauses, never ends it."""
        running: set[asyncio.Task[Outcome]] = set()
        while not stop.is_set():
            try:
                if self._events_from is None:
                    await self.start()
                await self._step(running, stop)
            except Exception:
                log.exception("delivery loop failed; trying again shortly")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=5.0)
        await self._wind_down(running)

    async def _wind_down(self, running: set[asyncio.Task[Outcome]]) -> None:
        """Posts in flight get `grace` seconds to finish; the rest are cancelled and handed back
        (their ledgers resume them without a double post), so another process takes them at
        once instead of after the lease."""
        if running:
            _, pending = await asyncio.wait(running, timeout=self.config.grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        await self.release_claims()

    async def release_claims(self, timeout: float = 1.0) -> int:
        """Make every subscription this process claimed and has not delivered due now (a
        process stopping calls this); how many were handed back within `timeout` seconds."""
        claims, self._claims = self._claims, {}
        if not claims:
            return 0
        now = self._now()
        try:
            done = await asyncio.wait_for(
                asyncio.gather(*(self.due.release(s, lease, now) for s, lease in claims.items())),
                timeout,
            )
        except (TimeoutError, *_REDIS_DOWN):
            log.warning("could not hand back %d claims: their leases will", len(claims))
            return 0
        log.info("handed back %d claims", sum(done))
        return sum(done)

    async def _step(self, running: set[asyncio.Task[Outcome]], stop: asyncio.Event) -> None:
        free = self.config.concurrency - len(running)
        claimed = await self.due.claim(self._now(), self.config.lease, free) if free else []
        for sid, lease in claimed:
            self._claims[sid] = lease
            task = asyncio.create_task(self.deliver(sid, lease))
            running.add(task)
            task.add_done_callback(running.discard)
        if claimed and len(claimed) == free:
            return  # maybe more are due: claim again once slots free up
        nxt = await self.due.next_time()
        wait = self.config.idle if nxt is None else nxt - self._now()
        await self._wait(min(max(wait, 0.05), self.config.idle), stop)

    async def start(self) -> None:
        """Listen for digest.ready events from now on (a missed one is covered by `recheck`)."""
        last = await self.redis.xrevrange(self.keys.events, count=1)
        self._events_from = last[0][0] if last else "0-0"

    async def deliver(self, sid: str, lease: float) -> Outcome:
        try:
            return await self._deliver_tries(sid, lease)
        finally:
            if not asyncio.current_task().cancelling():  # type: ignore[union-attr]
                self._claims.pop(sid, None)  # done with it, whatever came of it

    async def _deliver_tries(self, sid: str, lease: float) -> Outcome:
        for attempt in range(REDIS_TRIES):
            try:
                return await self._deliver(sid, lease)
            except _REDIS_DOWN as e:  # the ledger resumes the post where it stopped
                if attempt + 1 == REDIS_TRIES:
                    log.warning("delivery failed, Redis is away: %s", e, extra={"sub": sid})
                    break
                await self.clock.sleep(2.0**attempt)
            except Exception:  # a bug: the lease brings the subscription back
                log.exception("delivery failed", extra={"sub": sid})
                break
        return "lost"

    async def _record(self, day: str, outcome: Outcome, sid: str = "", error: str = "") -> None:
        """Counts per day and outcome, and the newest failures, for `aidigest status`."""
        platform = self.poster.platform
        key = self.keys.deliveries(platform, day)
        async with self.redis.pipeline(transaction=False) as p:
            p.hincrby(key, outcome, 1)
            p.expire(key, self.config.posted_ttl)
            if error:
                at = self.clock.now().isoformat()
                entry = {"at": at, "sub": sid, "date": day, "error": error}
                p.lpush(self.keys.failures(platform), json.dumps(entry)[:1000])
                p.ltrim(self.keys.failures(platform), 0, 49)
            await p.execute()

    async def _deliver(self, sid: str, lease: float) -> Outcome:
        sub = await self.subs.get(sid)
        if sub is None:
            await self.redis.zrem(self.due.key, sid)
            return "gone"
        now = self.clock.now()
        day, _ = latest_at(sub.post_time, sub.tz, now)
        nxt = next_after(sub.post_time, sub.tz, now).timestamp()
        ledger = Ledger(
            self.redis, self.keys.posted(sid, day.isoformat()), self.clock, self.config.posted_ttl
        )
        if await ledger.finished():
            await self.due.release(sid, lease, nxt)
            return "already"
        digest = await self.reader.digest(day.isoformat(), sub.lang)
        if digest is None:
            await self.due.park(
                sid, lease, min(now.timestamp() + self.config.recheck, nxt), day.isoformat()
            )
            return "waiting"
        mine = sub.select(digest)
        names = [n for k in mine.kinds for n in (k, f"{k}-trend")]
        charts = await self.reader.charts(day.isoformat(), names)
        try:
            await self.poster.post_digest(sub, mine, charts, ledger)
        except PermanentError as e:
            log.warning("skipping today's post: %s", e, extra={"sub": sid, "date": str(day)})
            await self.due.release(sid, lease, nxt)
            await self._record(day.isoformat(), "skipped", sid, f"skipped: {e}"[:300])
            return "skipped"
        except _REDIS_DOWN:
            raise  # our Redis, not the platform: deliver() goes on shortly
        except Exception as e:
            log.warning("post failed, will retry: %s", type(e).__name__, extra={"sub": sid})
            await self.due.release(sid, lease, min(self._now() + self.config.retry, nxt))
            await self._record(day.isoformat(), "retry", sid, f"{type(e).__name__}: {e}"[:300])
            return "retry"
        await ledger.finish()
        await self.due.release(sid, lease, nxt)
        await self._record(day.isoformat(), "posted")
        log.info("posted", extra={"sub": sid, "date": day.isoformat()})
        return "posted"

    async def wake_ready(self, block_ms: int | None = None) -> int:
        """Read digest.ready events after the last one seen and wake the subscriptions parked
        for those days; how many woke."""
        if self._events_from is None:
            await self.start()
        assert self._events_from is not None
        got = await self.redis.xread({self.keys.events: self._events_from}, block=block_ms)
        woke = 0
        for _stream, entries in got or []:
            for entry_id, fields in entries:
                self._events_from = entry_id
                if (day := ready_date(fields)) is not None:
                    woke += await self.due.wake(day, self._now())
                    if self.on_ready is not None:
                        self.on_ready(day)
        return woke

    async def _wait(self, seconds: float, stop: asyncio.Event) -> None:
        waiter = asyncio.ensure_future(stop.wait())
        reader = asyncio.ensure_future(self.wake_ready(block_ms=max(1, int(seconds * 1000))))
        await asyncio.wait({waiter, reader}, return_when=asyncio.FIRST_COMPLETED)
        for t in (waiter, reader):
            t.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await t

    def _now(self) -> float:
        return self.clock.now().timestamp()
