"""A module fixture's body for the Discord tests that need a bot of their own in a guild."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tests.bot.discord_bot.helpers import BotThread, guild_for, serving
from tests.doubles.discord_control import Control


def serving_a_guild(bot: BotThread, control: Control, name: str) -> Iterator[dict[str, Any]]:
    """`bot` started (as `serving`) and a new guild `name`, one channel "general", once it has it;
    the bot stopped after, even when the guild never reached it."""
    started = serving(bot, control)
    try:
        yield guild_for(next(started), control, name, [{"name": "general"}])
    finally:
        next(started, None)  # runs the rest of `serving`: stops the bot
