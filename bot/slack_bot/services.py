"""What the Slack listeners and the delivery loop are handed, built once by the entry point
(or a test) from a Redis connection and the settings sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import aiohttp
from redis.asyncio import Redis

from bot.common.dispatch import Commands
from bot.common.subscription import Defaults
from bot.common.subscription_store import Subscriptions
from bot.slack_bot.installation_store import RedisInstallationStore
from bot.slack_bot.rendered import RenderedSections
from bot.slack_bot.web_links import WebLinks
from core.localtime import Clock
from core.settings import DigestSettings
from core.store.async_reader import AsyncDayReader
from core.store.day_cache import DayCache
from core.store.keys import Keys
from core.taxonomy import Taxonomy, load_taxonomy
from core.ttl_cache import TtlCache

READY_DAYS_TTL = 5.0  # seconds the ready days are kept if no digest.ready reaches the process


@dataclass
class Services:
    redis: Redis[bytes]  # decode_responses=False
    keys: Keys
    reader: AsyncDayReader
    subs: Subscriptions
    commands: Commands
    policy: str  # who may change subscriptions: "anyone" | "admins"
    installs: RedisInstallationStore | None = None  # many workspaces (OAuth) only
    links: WebLinks = field(default_factory=WebLinks)  # to the web archive (DIGEST_PUBLIC_URL)
    languages: tuple[str, ...] = ("ko", "en")  # a subscription may ask for these
    http: aiohttp.ClientSession | None = None  # the process's pool (response_urls); None: one each
    ack_budget: float = 2.0  # seconds to answer in the ack (Slack waits 3) before following up
    # rendered replies by (command text, today); cleared when a day is published
    answers: TtlCache[tuple[str, str], list[dict[str, Any]]] = field(default_factory=TtlCache)
    # sections rendered as blocks, reused while the reader hands out the same decoded section
    rendered: RenderedSections = field(default_factory=RenderedSections)

    async def dates(self) -> tuple[str, ...]:
        """The ready days, newest first (kept by the reader until a publish, or 5 s)."""
        return tuple(await self.reader.dates())

    def published(self, day: str) -> None:
        """A day was published (digest.ready): drop what was rendered from the days before."""
        self.answers.clear()
        self.reader.published(day)
        self.rendered.clear()


def build_services(
    redis: Redis[bytes],
    digest: DigestSettings,
    clock: Clock,
    *,
    policy: str = "anyone",
    taxonomy: Taxonomy | None = None,
    installs: RedisInstallationStore | None = None,
) -> Services:
    if policy not in ("anyone", "admins"):
        raise ValueError("SLACK_SUBSCRIBE_POLICY must be anyone or admins")
    keys = Keys(digest.key_prefix)
    reader = AsyncDayReader(
        redis, keys, digest.retention_days, cache=DayCache(), dates_ttl=READY_DAYS_TTL
    )
    subs = Subscriptions(redis, keys)
    defaults = Defaults(tz=digest.timezone, lang=digest.language)
    tx = taxonomy or load_taxonomy(digest.taxonomy_file)
    commands = Commands(
        tx, reader, subs, clock, defaults, digest.timezone, public_url=digest.public_url
    )
    links = WebLinks(digest.public_url, digest.language)
    languages = tuple(dict.fromkeys([digest.language, *digest.build_languages()]))
    return Services(redis, keys, reader, subs, commands, policy, installs, links, languages)
