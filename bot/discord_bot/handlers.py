"""What each `/aidigest` subcommand and each button press does. Options stay typed: they build
the query through core.query's typed builders (never text for the grammar), a value not valid
for its option gets a private error about that option, and the shared commands (bot/common)
answer the query. Answers that depend only on the query and the published days are kept in an
in-process cache, cleared when a day is published (client.py follows the events).

Changing a subscription needs Manage Server, checked here in code from the permissions Discord
computes for the member in that channel (the command's default permissions cannot express it:
`show` in the same group is for everyone).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.common.dispatch import Caller, Commands
from bot.discord_bot.answers import Answer, render
from bot.discord_bot.autocomplete import AUTOCOMPLETE_BUDGET
from bot.discord_bot.components import Refusal, read
from bot.discord_bot.embeds import Links
from bot.discord_bot.replies import DEFER_AFTER, refuse, respond
from bot.discord_bot.search_hits import search_text
from bot.discord_bot.server_posts import IN_A_SERVER, PLATFORM
from bot.discord_bot.texts import help_text, slashify
from core.localtime import Clock, today_in
from core.query import (
    DatesQuery,
    OptionError,
    Query,
    QueryError,
    SearchQuery,
    ShowQuery,
    search_options,
    show_options,
    subscribe_options,
    unsubscribe_options,
)
from core.store.async_reader import AsyncDayReader
from core.taxonomy import Taxonomy
from core.ttl_cache import TtlCache

MANAGERS = "members with the Manage Server permission"
MAX_QUERIES = 4096  # parsed `show` options kept (a few hundred bytes each)
_POSTING = ("view_channel", "send_messages", "embed_links", "attach_files")


@dataclass
class Handlers:
    commands: Commands
    reader: AsyncDayReader
    taxonomy: Taxonomy
    clock: Clock
    tz: str  # the digest's time zone: "today" is a date there
    links: Links = field(default_factory=Links)
    defer_after: float = DEFER_AFTER
    autocomplete_budget: float = AUTOCOMPLETE_BUDGET
    answers: TtlCache[Query, Answer] = field(default_factory=lambda: TtlCache(ttl=300.0))
    queries: dict[tuple[Any, ...], ShowQuery | OptionError] = field(default_factory=dict)

    # --- reading ------------------------------------------------------------------------------

    async def show(
        self,
        interaction: discord.Interaction[Any],
        kind: str | None,
        category: str | None,
        day: str | None,
        share: bool,
    ) -> None:
        await self.reply(interaction, self.parsed(kind, category, day, share), public=share)

    async def search(
        self,
        interaction: discord.Interaction[Any],
        words: str,
        kind: str | None,
        category: str | None,
    ) -> None:
        q = search_options(self.taxonomy, words=words, kind=kind, category=category)
        await self.reply(interaction, q)

    async def dates(self, interaction: discord.Interaction[Any]) -> None:
        await self.reply(interaction, DatesQuery())

    async def help(self, interaction: discord.Interaction[Any], topic: str | None) -> None:
        lang = "ko" if str(interaction.locale).startswith("ko") else "en"

        async def answer() -> Answer:
            return Answer.text(help_text(lang, self.taxonomy, topic))

        await respond(interaction, answer())

    async def press(self, interaction: discord.Interaction[Any]) -> None:
        """A button or a select menu of one of our answers: always answered privately; a
        section's day buttons replace the (private) message they are on."""
        data: dict[str, Any] = dict(interaction.data or {})
        press = read(str(data.get("custom_id", "")), data.get("values") or [], self.taxonomy)
        if isinstance(press, Refusal):
            await refuse(interaction, press.message)
            return
        message = interaction.message
        in_place = press.moves and message is not None and message.flags.ephemeral
        await respond(interaction, self.answer(interaction, press.query), in_place=in_place,
                      defer_after=self.defer_after)  # fmt: skip

    # --- subscriptions ------------------------------------------------------------------------

    async def subscribe(
        self,
        interaction: discord.Interaction[Any],
        channel: discord.TextChannel | None,
        kinds: str | None,
        categories: str | None,
        time: str | None,
        timezone: str | None,
        language: str | None,
    ) -> None:
        target = channel or interaction.channel
        if not await self._may_change(interaction, target, "subscribe"):
            return
        q = subscribe_options(self.taxonomy, kinds=kinds, categories=categories, time=time,
                              timezone=timezone, language=language)  # fmt: skip
        await self.reply(interaction, q, target)

    async def unsubscribe(
        self,
        interaction: discord.Interaction[Any],
        channel: discord.TextChannel | None,
        kinds: str | None,
    ) -> None:
        target = channel or interaction.channel
        if not await self._may_change(interaction, target, "unsubscribe", posting=False):
            return
        await self.reply(interaction, unsubscribe_options(kinds=kinds), target)

    async def _may_change(
        self, interaction: discord.Interaction[Any], target: Any, what: str, *, posting: bool = True
    ) -> bool:
        if interaction.guild_id is None:
            await refuse(interaction, IN_A_SERVER.format(what=what))
            return False
        if not may_manage(interaction):
            await refuse(
                interaction,
                f"Only {MANAGERS} can change this server's daily posts. Ask one of them, "
                "or see what is set up with `/aidigest subscriptions`",
            )
            return False
        if not isinstance(target, discord.TextChannel) or target.guild.id != interaction.guild_id:
            await refuse(interaction, "Daily posts go to a text channel of this server. "
                         "Try: `/aidigest subscribe channel:#news`")  # fmt: skip
            return False
        if posting:
            have = target.permissions_for(target.guild.me)
            missing = [p for p in _POSTING if not getattr(have, p)]
            if missing:
                names = ", ".join(p.replace("_", " ").title() for p in missing)
                await refuse(
                    interaction,
                    f"I can't post in {target.mention}: I need {names} there. Grant them, or "
                    "pick another channel: `/aidigest subscribe channel:#another`",
                )
                return False
        return True

    # --- shared -------------------------------------------------------------------------------

    async def reply(
        self,
        interaction: discord.Interaction[Any],
        q: Query | OptionError,
        target: Any = None,
        *,
        public: bool = False,
    ) -> None:
        """Refuse an option Discord sent that does not parse, or answer `q` (deferred when the
        answer takes a while)."""
        if isinstance(q, OptionError):
            await refuse(interaction, self.option_error(q))
            return
        await respond(interaction, self.answer(interaction, q, target), public=public,
                      defer_after=self.defer_after)  # fmt: skip

    async def answer(
        self, interaction: discord.Interaction[Any], q: Query | QueryError, target: Any = None
    ) -> Answer:
        """The answer to `q`: from the cache when it depends only on `q` and the days. Search
        hits are rendered here, from the index's page (search_hits.py): the shared commands'
        text of them is not escaped for Discord."""
        cached = self.answers.get(q) if isinstance(q, ShowQuery | DatesQuery) else None
        if cached is not None:
            return cached
        if isinstance(q, SearchQuery):
            text, found = await search_text(self.commands, q)
            return Answer.text(text, ok=found)
        channel = target or interaction.channel
        caller = Caller(
            platform=PLATFORM,
            team=str(interaction.guild_id),
            channel=str(getattr(channel, "id", interaction.channel_id)),
            user=str(interaction.user.id),
            may_manage=lambda: _async_bool(may_manage(interaction)),
            managers=MANAGERS,
        )
        reply = await self.commands.answer(q, caller)
        answer = await render(reply, self.reader, self.links, self.slash)
        if reply.cacheable and isinstance(q, ShowQuery | DatesQuery):
            self.answers.put(q, answer)
        return answer

    def parsed(
        self, kind: str | None, category: str | None, day: str | None, share: bool
    ) -> ShowQuery | OptionError:
        """`show`'s options as a query. Reading a category or a date (folding, aliases,
        prefixes, date words) costs as much as answering from the cache, and the same few
        options come again and again: parsed once per day ("today" is in the key)."""
        key = (kind, category, day, share, self.today())
        q = self.queries.get(key)
        if q is None:
            q = show_options(self.taxonomy, key[4], kind=kind, category=category, date=day,
                             share=share)  # fmt: skip
            if len(self.queries) >= MAX_QUERIES:
                self.queries.pop(next(iter(self.queries)))  # the oldest
            self.queries[key] = q
        return q

    def option_error(self, e: OptionError) -> str:
        return f"**{e.option}**: {self.slash(e.message)}"

    def today(self) -> dt.date:
        return today_in(self.tz, self.clock.now())

    def slash(self, text: str) -> str:
        return slashify(text, self.taxonomy, self.today())


def may_manage(interaction: discord.Interaction[Any]) -> bool:
    perms = interaction.permissions
    return perms.manage_guild or perms.administrator


async def _async_bool(value: bool) -> bool:
    return value
