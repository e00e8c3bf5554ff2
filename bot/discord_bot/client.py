"""The Discord client: the `/aidigest` command tree, command sync, and the daily post running as
a background task once the gateway is ready.

Everything it uses is handed in an `App` (the entry point builds it from settings). Messages are
sent with no allowed mentions, so nothing from a feed or an LLM can ping anyone; REST requests
are paced under Discord's global limit (pacer.py). With shards, this process delivers only for
the guilds on its shards (shards.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import discord
from discord import app_commands
from redis.asyncio import Redis

from bot.common.delivery import Delivery, DeliveryConfig
from bot.common.dispatch import OOPS, Commands
from bot.common.subscription import Defaults
from bot.common.subscription_store import Subscriptions
from bot.discord_bot.commands import build_group
from bot.discord_bot.embeds import Links
from bot.discord_bot.handlers import Handlers
from bot.discord_bot.notices import Notices
from bot.discord_bot.pacer import GlobalPacer
from bot.discord_bot.poster import DiscordPoster
from bot.discord_bot.replies import DEFER_AFTER, NotAnErrorWhenLate, refuse, too_late
from bot.discord_bot.server_posts import PLATFORM, ServerPosts
from bot.discord_bot.shards import ShardDueQueue
from bot.discord_bot.sync import sync_if_changed
from core.localtime import Clock, SystemClock
from core.settings import DigestSettings
from core.store.async_reader import AsyncDayReader, follow_ready
from core.store.day_cache import DayCache
from core.store.keys import Keys, sid_of
from core.taxonomy import Taxonomy

READY_DAYS_TTL = 60.0  # seconds the ready days are kept (a publish drops them at once)
log = logging.getLogger(__name__)


@dataclass
class App:
    """What the bot is handed. `redis` is redis.asyncio with decode_responses=False."""

    redis: Redis[bytes]
    taxonomy: Taxonomy
    digest: DigestSettings
    clock: Clock = field(default_factory=SystemClock)
    delivery: DeliveryConfig = field(default_factory=DeliveryConfig)
    deliver: bool = True  # run the daily post in this process
    sync_commands: bool = True  # sync at start when the command definitions changed
    defer_after: float = DEFER_AFTER
    pacer: GlobalPacer = field(default_factory=GlobalPacer)


class AidigestBot(discord.Client):
    def __init__(self, app: App, **options: Any) -> None:
        intents = discord.Intents.none()
        intents.guilds = True  # channels, roles and our own member: permissions and posting
        super().__init__(
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            http_trace=app.pacer.trace_config(),
            **options,
        )
        self.app = app
        self.keys = Keys(app.digest.key_prefix)
        self.reader = AsyncDayReader(
            app.redis,
            self.keys,
            app.digest.retention_days,
            cache=DayCache(),  # sections kept decoded; _published forgets a day's
            dates_ttl=READY_DAYS_TTL,
        )
        self.subs = Subscriptions(app.redis, self.keys)
        self.notices = Notices(app.redis, self.keys)
        defaults = Defaults(tz=app.digest.timezone, lang=app.digest.language)
        commands = Commands(
            app.taxonomy,
            self.reader,
            self.subs,
            app.clock,
            defaults,
            app.digest.timezone,
            public_url=app.digest.public_url,
        )
        links = Links(app.digest.public_url, app.digest.language)
        self.handlers = Handlers(commands, self.reader, app.taxonomy, app.clock,
                                 app.digest.timezone, links, app.defer_after)  # fmt: skip
        posts = ServerPosts(commands, self.notices, app.clock, app.defer_after)
        self.tree: app_commands.CommandTree[AidigestBot] = app_commands.CommandTree(self)
        self.tree.error(self._on_tree_error)
        tree_log = logging.getLogger("discord.app_commands.tree")
        if not any(isinstance(f, NotAnErrorWhenLate) for f in tree_log.filters):
            tree_log.addFilter(NotAnErrorWhenLate())
        self.tree.add_command(build_group(self.handlers, posts))
        self._stop = asyncio.Event()
        self._delivery: asyncio.Task[None] | None = None
        self._follow: asyncio.Task[None] | None = None

    async def setup_hook(self) -> None:
        if self.app.sync_commands:
            await sync_if_changed(self.tree, self.app.redis, self.keys)

    async def on_ready(self) -> None:
        log.info("ready: %d guilds", len(self.guilds))
        if self._follow is None:  # on_ready fires again after reconnects
            # a newly published day makes cached answers stale (the newest day, the dates)
            self._follow = asyncio.create_task(
                follow_ready(self.app.redis, self.keys, self._published), name="aidigest-ready"
            )
        if self.app.deliver and self._delivery is None:
            self._delivery = asyncio.create_task(self._deliver(), name="aidigest-delivery")

    def _published(self, day: str) -> None:
        """A day was published: the newest day, the ready dates and answers may have changed."""
        self.reader.published(day)
        self.handlers.answers.clear()
        log.info("day %s published: cached answers dropped", day)

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """Presses on our buttons and select menus (slash commands go to the tree)."""
        if interaction.type is not discord.InteractionType.component:
            return
        try:
            await self.handlers.press(interaction)
        except Exception:
            log.exception("answering a button failed")
            with contextlib.suppress(discord.HTTPException):
                await refuse(interaction, OOPS)

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        gone = await self.subs.remove_team(PLATFORM, str(guild.id))
        log.info("removed from guild %s: %d subscriptions dropped", guild.id, gone)

    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        sub = await self.subs.get(sid_of(PLATFORM, str(channel.guild.id), str(channel.id)))
        if sub is not None:
            await self.poster().forget(sub, f"#{channel.name}", "the channel was deleted")

    def poster(self) -> DiscordPoster:
        return DiscordPoster(self, self.app.clock, self.subs, self.notices, self.handlers.links)

    def delivery(self) -> Delivery:
        d = Delivery(
            self.app.redis,
            self.keys,
            self.reader,
            self.poster(),
            self.app.clock,
            self.app.delivery,
            on_ready=self._published,  # before it posts a day it was told of
        )
        if self.shard_count:  # only the guilds this process has: see shards.py
            ids: Sequence[int] = getattr(self, "shard_ids", None) or range(self.shard_count)
            d.due = ShardDueQueue(self.app.redis, self.keys, PLATFORM, self.shard_count, ids)
        return d

    async def _deliver(self) -> None:
        try:
            await self.delivery().run(self._stop)
        except Exception:
            log.exception("the delivery loop stopped")

    async def close(self) -> None:
        self._stop.set()
        if self._follow is not None:
            self._follow.cancel()
        if self._delivery is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._delivery, timeout=10)
        await super().close()

    async def _on_tree_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        if too_late(getattr(error, "original", error)):
            log.info("interaction came too late to answer: %s", type(error).__name__)
            return
        if isinstance(error, app_commands.TransformerError):
            text = "I can't use that channel: pick a text channel of this server that I can see."
        elif isinstance(
            error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch
        ):
            text = "Discord is still updating this command; try again in a minute. `/aidigest help`"
        else:
            log.error("command failed: %s", type(error).__name__, exc_info=error)
            text = OOPS
        with contextlib.suppress(discord.HTTPException):
            await refuse(interaction, text)


class ShardedAidigestBot(AidigestBot, discord.AutoShardedClient):
    """The same bot on AutoShardedClient (DISCORD_SHARDS > 0)."""


def make_client(
    app: App, shards: int = 0, shard_ids: Sequence[int] | None = None, **options: Any
) -> AidigestBot:
    """`options` go to discord.py's client (e.g. guild_ready_timeout)."""
    if shards > 0:
        ids = list(shard_ids) if shard_ids else None
        return ShardedAidigestBot(app, shard_count=shards, shard_ids=ids, **options)
    return AidigestBot(app, **options)
