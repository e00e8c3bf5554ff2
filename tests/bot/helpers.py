"""Shared by the bot tests (tests/bot, tests/slack_bot, and the Discord bot's): a real Redis
database of their own, a built demo day, a controlled clock, and a recording Poster."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, TypeVar

from redis import Redis as SyncRedis
from redis.asyncio import Redis

from bot.common.days import DayReader
from bot.common.ledger import Ledger
from bot.common.subscription import Subscription
from core.demo import DEMO_DATE, demo_history, demo_now, demo_results
from core.digest import Digest, SourceRef
from core.pipeline import BuiltDay, build_day
from core.store import Store
from core.taxonomy import load_taxonomy
from tests import redis_claim

REDIS_URL = redis_claim.url()  # this test process's own database, flushed around each test
PREFIX = "aidigest"
HOSTILE = "<!channel> click <http://evil|here>"
T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


@cache
def build_demo(langs: tuple[str, ...] = ("en", "ko")) -> BuiltDay:
    """Built once per process (tests must not change it: they copy what they alter)."""
    tx = load_taxonomy()
    return build_day(
        DEMO_DATE,
        demo_results(),
        tx,
        langs=list(langs),
        section_cap=8,
        now=demo_now(),
        history=demo_history(tx),
    )


def redate(built: BuiltDay, day: date) -> BuiltDay:
    """The same day's content under another date."""
    iso = day.isoformat()
    digests = {}
    for lang, d in built.digests.items():
        sections = [s.model_copy(update={"date": iso}) for s in d.sections]
        digests[lang] = d.model_copy(update={"date": iso, "sections": sections})
    return BuiltDay(
        date=iso, digests=digests, charts=built.charts, items=built.items, labels=built.labels
    )


def hostile(built: BuiltDay) -> BuiltDay:
    """The day with the first source of every first section titled like an attack."""
    digests: dict[str, Digest] = {}
    for lang, d in built.digests.items():
        first = d.sections[0]
        refs = [
            SourceRef(**{**first.sources[0].model_dump(), "title": HOSTILE}),
            *first.sources[1:],
        ]
        parts = [first.parts[0].model_copy(update={"text": HOSTILE + " [1]"}), *first.parts[1:]]
        new = first.model_copy(update={"sources": refs, "parts": parts})
        digests[lang] = d.model_copy(update={"sections": [new, *d.sections[1:]]})
    return BuiltDay(
        date=built.date,
        digests=digests,
        charts=built.charts,
        items=built.items,
        labels=built.labels,
    )


def flush() -> None:
    redis_claim.flush()


def publish(built: BuiltDay) -> Store:
    store = Store(SyncRedis.from_url(REDIS_URL), PREFIX)
    store.save_day(built)
    return store


def aredis() -> Redis:
    return Redis.from_url(REDIS_URL, decode_responses=False)


def reader(redis: Redis) -> DayReader:
    return DayReader(redis, Store(SyncRedis.from_url(REDIS_URL), PREFIX))


class FakeClock:
    """Time that moves only when told (sleep moves it, without waiting)."""

    def __init__(self, now: datetime) -> None:
        self.t = now

    def now(self) -> datetime:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.t += timedelta(seconds=max(0.0, seconds))
        await asyncio.sleep(0)

    def advance(self, **kw: float) -> None:
        self.t += timedelta(**kw)


class RecordingPoster:
    """A Poster that posts each message part through the ledger into a list."""

    platform = "slack"

    def __init__(self, fail: Callable[[Subscription], Awaitable[None]] | None = None) -> None:
        self.sent: list[tuple[str, str, str]] = []  # (sid, date, part)
        self.fail = fail

    async def post_digest(
        self, sub: Subscription, digest: Digest, charts: Mapping[str, bytes], ledger: Ledger
    ) -> None:
        if self.fail is not None:
            await self.fail(sub)
        for part in ["header", *(f"{s.kind}:{s.category}" for s in digest.sections)]:
            await ledger.once(part, self._send(sub.sid, digest.date, part))

    def _send(self, sid: str, day: str, part: str) -> Callable[[], Awaitable[str]]:
        async def send() -> str:
            self.sent.append((sid, day, part))
            return f"{len(self.sent)}"

        return send
