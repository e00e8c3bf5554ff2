"""Shared by the Discord bot tests: the day they read, subscriptions made due, and the bot run
for real in a thread of its own (its own event loop), connected to the stand-in."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import redis
from redis.asyncio import Redis

from bot.common.delivery import DeliveryConfig
from bot.common.subscription import Subscription
from bot.common.subscription_store import Subscriptions
from bot.discord_bot.__main__ import point_at, redis_client
from bot.discord_bot.client import AidigestBot, App, make_client
from bot.discord_bot.embeds import packed_sections
from core.items import KINDS, Kind
from core.localtime import SystemClock, latest_at, parse_hhmm
from core.pipeline import BuiltDay
from core.settings import DigestSettings, DiscordSettings
from core.store.keys import Keys
from core.taxonomy import Taxonomy, load_taxonomy
from tests import days, redis_claim
from tests.doubles.discord_control import Control
from tests.doubles.discord_server import StandIn

REDIS_URL = redis_claim.url()  # this test process's own database
PREFIX = "aidigest"
MANAGE_GUILD = 1 << 5
MEMBER = (1 << 10) | (1 << 11) | (1 << 16)  # view, send, read history: no Manage Server
KEYS = Keys(PREFIX)


@dataclass(frozen=True)
class Day:
    date: str
    hhmm: str  # a UTC post time, just past, whose latest date is `date`
    built: BuiltDay


def build() -> Day:
    now = datetime.now(UTC)
    hhmm = (now - timedelta(minutes=2)).strftime("%H:%M")
    day, _ = latest_at(parse_hhmm(hhmm), "UTC", now)
    built = days.redate(days.only(days.demo_day(), ["en"]), day)
    return Day(day.isoformat(), hhmm, built)


def publish(r: redis.Redis, day: Day) -> None:
    days.publish(r, day.built, PREFIX)


def aredis() -> Redis:
    return redis_client(REDIS_URL)


def subscribe_due(
    guild: str, channel: str, day: Day, kinds: Sequence[Kind] = KINDS, **extra: Any
) -> str:
    """Subscribe `channel` and make it due now, as when its post time has just come."""

    async def go() -> str:
        r = aredis()
        sub = Subscription(platform="discord", team=guild, channel=channel, kinds=list(kinds),
                           time=day.hhmm, tz="UTC", lang="en", created_by="test",
                           created_at=datetime.now(UTC).isoformat(), **extra)  # fmt: skip
        await Subscriptions(r, KEYS).save(sub, now=time.time())
        await r.zadd(KEYS.due("discord"), {sub.sid: time.time()})
        await r.aclose()
        return sub.sid

    return asyncio.run(go())


def serving(bot: BotThread, control: Control) -> Iterator[BotThread]:
    """A fixture's body: the bot started and its global commands registered; stopped after."""
    bot.start()
    control.wait_for(lambda: control.commands().get("global"))
    yield bot
    bot.stop()


def guild_for(
    bot: BotThread, control: Control, name: str, channels: list[dict[str, Any]]
) -> dict[str, Any]:
    """A new guild on the stand-in with these channels, once the bot has it."""
    g = control.add_guild(name, channels)
    control.wait_for(lambda: bot.has_guild(g["id"]))
    return g


def parts_of(day: Day, kinds: Sequence[str] = KINDS) -> list[list[str]]:
    """The section-embed titles of each message the post should have, in order."""
    sections = [s for s in day.built.digests["en"].sections if s.kind in kinds]
    return [[e.title or "" for e in g] for g in packed_sections(sections)]


def titles(msg: dict[str, Any]) -> list[str]:
    """The embed titles of a message the stand-in recorded."""
    return [e.get("title", "") for e in msg["message"]["embeds"]]


def brisk(control: Control) -> None:
    """Discord's rate limits with one-second windows: a channel takes 5 messages a second, not
    5 in 5. For tests about something else than pacing (that has tests of its own)."""
    control.limits(routes={"POST /channels/{channel_id}/messages": {"limit": 5, "per": 1.0}})


def posted(r: redis.Redis, sid: str, day: Day) -> bool:
    return bool(r.hexists(KEYS.posted(sid, day.date), "_all"))


class BotThread:
    """The real bot (discord.py client, delivery loop) in its own thread and event loop."""

    def __init__(
        self,
        stand_in: StandIn,
        *,
        shards: int = 0,
        shard_ids: Sequence[int] = (),
        redis_url: str = REDIS_URL,
        clock: SystemClock | None = None,
        public_url: str = "",
        taxonomy: Taxonomy | None = None,
    ):
        self.stand_in = stand_in
        self.shards, self.shard_ids = shards, list(shard_ids)
        self.redis_url = redis_url
        self.clock = clock or SystemClock()  # tests move its `offset` on
        self.public_url = public_url  # DIGEST_PUBLIC_URL
        self.taxonomy = taxonomy or load_taxonomy()
        self.client: AidigestBot | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self._stopping = asyncio.Event()
        self._thread = threading.Thread(target=self._main, daemon=True)

    def _main(self) -> None:
        with contextlib.suppress(RuntimeError):  # "Event loop stopped": crash() did that
            asyncio.run(self._run())

    def start(self, timeout: float = 20.0) -> BotThread:
        point_at(DiscordSettings(api_base=self.stand_in.api_base,
                                 gateway_url=self.stand_in.gateway_url))  # fmt: skip
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not (self.client and self.client.is_ready()):
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise TimeoutError("the bot did not get ready")
            time.sleep(0.02)
        return self

    async def _run(self) -> None:
        self.loop = asyncio.get_running_loop()
        app = App(
            redis=redis_client(self.redis_url),
            taxonomy=self.taxonomy,
            digest=DigestSettings(language="en", timezone="UTC", public_url=self.public_url),
            delivery=DeliveryConfig(idle=0.2, retry=0.5, lease=30),
            clock=self.clock,
        )
        client = make_client(app, self.shards, self.shard_ids or None, guild_ready_timeout=0.1)
        self.client = client
        self._stopping = asyncio.Event()
        running = asyncio.ensure_future(client.start(self.stand_in.token))
        stopping = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
            await client.close()
            await running
        finally:
            stopping.cancel()
            await app.redis.aclose()

    def published(self, day: str) -> None:
        """What the bot does on a publish's digest.ready (a test that rewrites a day's keys by
        hand must say so, as the writer does), done in the bot's loop; returns once done."""
        assert self.loop is not None and self.client is not None
        done = threading.Event()

        def forget() -> None:
            self.client._published(day)  # type: ignore[union-attr]
            done.set()

        self.loop.call_soon_threadsafe(forget)
        assert done.wait(10), "the bot's loop did not run"

    def has_guild(self, guild_id: str) -> bool:
        return self.client is not None and self.client.get_guild(int(guild_id)) is not None

    def crash(self) -> None:
        """Stop dead, as a killed process does: whatever was in flight stays undone."""
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(15)

    def stop(self) -> None:
        if self.loop is not None and self.loop.is_running():
            self.loop.call_soon_threadsafe(self._stopping.set)
        self._thread.join(15)
