"""Shared by the bot tests (tests/bot, tests/slack_bot, and the Discord bot's): a real Redis
database of their own, a built demo day, a controlled clock, and a recording Poster."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any, TypeVar

from redis import Redis as SyncRedis
from redis.asyncio import Redis

from bot.common.dispatch import Caller, Commands, Reply
from bot.common.ledger import Ledger
from bot.common.subscription import Defaults, Subscription
from bot.common.subscription_store import Subscriptions
from core.digest import Digest, SourceRef
from core.pipeline import BuiltDay
from core.store.async_reader import AsyncDayReader
from core.store.keys import Keys
from core.taxonomy import Taxonomy, load_taxonomy
from tests import days, redis_claim

REDIS_URL = redis_claim.url()  # this test process's own database, flushed around each test
PREFIX = "aidigest"
HOSTILE = "<!channel> click <http://evil|here>"
T = TypeVar("T")
# Words that /aidigest texts are made of in the property tests: commands, kinds, categories,
# dates, times and zones (some invalid), and what Slack or a user may slip in.
COMMAND_WORDS = [
    *("papers", "news", "all", "llm", "cv", "help", "dates", "share", "search", "diffusion"),
    *("subscribe", "unsubscribe", "subscriptions", "at", "08:30", "25:00", "99:99"),
    *("today", "yesterday", "-1", "-3", "2024-10-04", "Asia/Seoul", "KST", "ko"),
    *("<!channel>", "<!here>", "<@U1>", "&", "&amp;", "\u3000", "\u200b", "\u202e"),
]


def slack_sub(channel: str = "C1", **kw: Any) -> Subscription:
    """A subscription of Slack team T1's `channel` (news and papers at 09:00 in Seoul, in
    English), with the fields in `kw` instead."""
    fields: dict[str, Any] = dict(
        platform="slack",
        team="T1",
        channel=channel,
        kinds=["news", "papers"],
        time="09:00",
        tz="Asia/Seoul",
        lang="en",
        created_by="U1",
        created_at="2024-10-01T00:00:00+00:00",
    )
    return Subscription(**{**fields, **kw})


ASKED_AT = datetime(2024, 10, 6, 3, 0, tzinfo=UTC)  # two days after the demo day


async def ask(
    text: str, *, manager: bool = True, channel: str = "C1", lang: str = "en", public_url: str = ""
) -> Reply:
    """`text` answered by the shared commands at ASKED_AT, for user U1 (a manager or not) in
    Slack team T1's `channel`; the bot's defaults are Seoul and `lang`."""
    r = aredis()

    async def may() -> bool:
        return manager

    cmds = Commands(
        _taxonomy(),
        reader(r),
        Subscriptions(r, Keys(PREFIX)),
        FakeClock(ASKED_AT),
        Defaults(tz="Asia/Seoul", lang=lang),
        "Asia/Seoul",
        public_url=public_url,
    )
    try:
        return await cmds.handle(text, Caller("slack", "T1", channel, "U1", may))
    finally:
        await r.aclose()


@cache
def _taxonomy() -> Taxonomy:
    return load_taxonomy()


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def hostile(built: BuiltDay) -> BuiltDay:
    """The day with the first source of every first section titled like an attack; the rest of
    the day (charts, items, labels, rows) as it was."""
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
    return replace(built, digests=digests)


def flush() -> None:
    redis_claim.flush()


def publish(built: BuiltDay) -> None:
    days.publish(SyncRedis.from_url(REDIS_URL), built, PREFIX)


def aredis() -> Redis:
    return Redis.from_url(REDIS_URL, decode_responses=False)


def reader(redis: Redis) -> AsyncDayReader:
    return AsyncDayReader(redis, Keys(PREFIX))


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
