"""`/aidigest subscriptions`: this server's daily posts, and what its admins should know about
them lately (notices.py: a deleted channel's post removed, a message that may be missing)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import discord

from bot.common.dispatch import Commands
from bot.discord_bot.answers import Answer
from bot.discord_bot.notices import Notices
from bot.discord_bot.replies import DEFER_AFTER, refuse, respond
from core.localtime import Clock

PLATFORM = "discord"
IN_A_SERVER = (
    "Daily posts belong to a server's channels: run `/aidigest {what}` in the server "
    "(changing them needs Manage Server there). Here you can read the digest: `/aidigest show`"
)


@dataclass
class ServerPosts:
    commands: Commands
    notices: Notices
    clock: Clock
    defer_after: float = DEFER_AFTER

    async def subscriptions(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.guild_id is None:
            await refuse(interaction, IN_A_SERVER.format(what="subscriptions"))
            return
        await respond(interaction, self.listing(str(interaction.guild_id)),
                      defer_after=self.defer_after)  # fmt: skip

    async def listing(self, guild: str) -> Answer:
        subs = await self.commands.subs.of_team(PLATFORM, guild)
        notices = await self.notices.recent(guild)
        now = self.clock.now()
        if subs:
            lines = [f"<#{s.channel}>: {self.commands.describe(s, now)}" for s in subs]
            text = "Daily posts in this server:\n" + "\n".join(lines)
        else:
            text = (
                "No channel of this server has a daily post. "
                "Try: `/aidigest subscribe kinds:papers time:08:30`"
            )
        if notices:
            text += "\n\nRecently:\n" + "\n".join(f"- {n.line()}" for n in notices)
        return Answer.text(text)
