"""What the Slack listeners and the delivery loop are handed, built once by the entry point
(or a test) from a Redis connection and the settings sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis

from bot.common.dispatch import Commands
from bot.common.subscription import Defaults
from bot.common.subscription_store import Subscriptions
from bot.common.ttl_cache import TtlCache
from bot.slack_bot.installation_store import RedisInstallationStore
from core.localtime import Clock
from core.settings import DigestSettings
from core.store.async_reader import AsyncDayReader
from core.store.keys import Keys
from core.taxonomy import Taxonomy, load_taxonomy


@dataclass
class Services:
    redis: Redis[bytes]  # decode_responses=False
    keys: Keys
    reader: AsyncDayReader
    subs: Subscriptions
    commands: Commands
    policy: str  # who may change subscriptions: "anyone" | "admins"
    installs: RedisInstallationStore | None = None  # many workspaces (OAuth) only
    ack_budget: float = 2.0  # seconds to answer in the ack (Slack waits 3) before following up
    # rendered replies by (command text, today); cleared when a day is published
    answers: TtlCache[tuple[str, str], list[dict[str, Any]]] = field(default_factory=TtlCache)


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
    reader = AsyncDayReader(redis, keys, digest.retention_days)
    subs = Subscriptions(redis, keys)
    defaults = Defaults(tz=digest.timezone, lang=digest.language)
    tx = taxonomy or load_taxonomy(digest.taxonomy_file)
    commands = Commands(tx, reader, subs, clock, defaults, digest.timezone)
    return Services(redis, keys, reader, subs, commands, policy, installs)
