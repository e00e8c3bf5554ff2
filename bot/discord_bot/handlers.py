"""What each `/aidigest` subcommand does: its options become the shared grammar's text, the
shared commands (bot/common) answer, and the answer is rendered and sent as Discord messages.

Changing a subscription needs Manage Server, checked here in code from the permissions Discord
computes for the member in that channel (the command's default permissions cannot express it:
`show` in the same group is for everyone).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import discord

from bot.common.dispatch import Caller, Commands
from bot.discord_bot.replies import DEFER_AFTER, Answer, refuse, render, respond
from bot.discord_bot.texts import help_text, slashify
from core.localtime import Clock, today_in
from core.query import QueryError, ShowQuery, parse
from core.store.async_reader import AsyncDayReader
from core.taxonomy import Taxonomy

PLATFORM = "discord"
_DATEISH = re.compile(r"[-+/.\d]+")
MANAGERS = "members with the Manage Server permission"
_POSTING = ("view_channel", "send_messages", "embed_links", "attach_files")


@dataclass
class Handlers:
    commands: Commands
    reader: AsyncDayReader
    taxonomy: Taxonomy
    clock: Clock
    tz: str  # the digest's time zone: "today" is a date there
    defer_after: float = DEFER_AFTER

    # --- reading ------------------------------------------------------------------------------

    async def show(
        self,
        interaction: discord.Interaction[Any],
        kind: str | None,
        category: str | None,
        day: str | None,
        share: bool,
    ) -> None:
        if day and (problem := self._not_a_date(day)):
            await refuse(interaction, problem)
            return
        words = [kind or "", category or "", day or "", "share" if share else ""]
        text = " ".join(w for w in words if w)
        await respond(interaction, self._run(interaction, "show " + text), public=share,
                      defer_after=self.defer_after)  # fmt: skip

    async def search(
        self,
        interaction: discord.Interaction[Any],
        words: str,
        kind: str | None,
        category: str | None,
    ) -> None:
        text = " ".join(w for w in ("search", words, kind or "", category or "") if w)
        await respond(interaction, self._run(interaction, text), defer_after=self.defer_after)

    async def dates(self, interaction: discord.Interaction[Any]) -> None:
        await respond(interaction, self._run(interaction, "dates"), defer_after=self.defer_after)

    async def help(self, interaction: discord.Interaction[Any], topic: str | None) -> None:
        lang = "ko" if str(interaction.locale).startswith("ko") else "en"

        async def answer() -> Answer:
            return Answer.text(help_text(lang, self.taxonomy, topic))

        await respond(interaction, answer())

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
        if not await self._may_change(interaction, target):
            return
        at = f"at {time}" if time else ""
        words = ["subscribe", kinds or "", categories or "", at, timezone or "", language or ""]
        text = " ".join(w for w in words if w)
        await respond(
            interaction, self._run(interaction, text, target), defer_after=self.defer_after
        )

    async def unsubscribe(
        self,
        interaction: discord.Interaction[Any],
        channel: discord.TextChannel | None,
        kinds: str | None,
    ) -> None:
        target = channel or interaction.channel
        if not await self._may_change(interaction, target, posting=False):
            return
        text = f"unsubscribe {kinds or ''}".strip()
        await respond(
            interaction, self._run(interaction, text, target), defer_after=self.defer_after
        )

    async def subscriptions(self, interaction: discord.Interaction[Any]) -> None:
        async def answer() -> Answer:
            guild = str(interaction.guild_id)
            subs = await self.commands.subs.of_team(PLATFORM, guild)
            if not subs:
                return Answer.text(
                    "No channel of this server has a daily post. "
                    "Try: `/aidigest subscribe kinds:papers time:08:30`"
                )
            now = self.clock.now()
            lines = [f"<#{s.channel}>: {self.commands.describe(s, now)}" for s in subs]
            return Answer.text("Daily posts in this server:\n" + "\n".join(lines))

        await respond(interaction, answer(), defer_after=self.defer_after)

    async def _may_change(
        self, interaction: discord.Interaction[Any], target: Any, *, posting: bool = True
    ) -> bool:
        if not _may_manage(interaction):
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

    async def _run(
        self, interaction: discord.Interaction[Any], text: str, target: Any = None
    ) -> Answer:
        channel = target or interaction.channel
        caller = Caller(
            platform=PLATFORM,
            team=str(interaction.guild_id),
            channel=str(getattr(channel, "id", interaction.channel_id)),
            user=str(interaction.user.id),
            may_manage=lambda: _async_bool(_may_manage(interaction)),
            managers=MANAGERS,
        )
        reply = await self.commands.handle(text, caller)
        return await render(reply, self.reader, slash=self.slash)

    def _not_a_date(self, day: str) -> str | None:
        """Why the `date` option is not a date, or None (the grammar would read it otherwise)."""
        today = today_in(self.tz, self.clock.now())
        q = parse(day, self.taxonomy, today)
        if isinstance(q, QueryError) and _DATEISH.fullmatch(day.strip()):
            return self.slash(q.message)  # the grammar's words are the precise ones here
        if isinstance(q, ShowQuery) and q.date and not q.category and not q.kinds:
            return None
        shown = day.replace("`", "").strip()[:30]
        return (
            f"'{shown}' is not a date I can read; use YYYY-MM-DD, today, yesterday or -N. "
            f"Try: `/aidigest show date:{today.isoformat()}` or `/aidigest dates`"
        )

    def slash(self, text: str) -> str:
        return slashify(text, self.taxonomy, today_in(self.tz, self.clock.now()))


def _may_manage(interaction: discord.Interaction[Any]) -> bool:
    perms = interaction.permissions
    return perms.manage_guild or perms.administrator


async def _async_bool(value: bool) -> bool:
    return value
