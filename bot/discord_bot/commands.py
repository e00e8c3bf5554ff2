"""The `/aidigest` slash-command group: options, descriptions and autocomplete, nothing more.

The work is in handlers.py; autocomplete choices come from autocomplete.py. Nothing here may
raise to Discord: a failed autocomplete answers no choices.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from bot.discord_bot import autocomplete as ac
from bot.discord_bot.handlers import Handlers

log = logging.getLogger(__name__)
Choice = app_commands.Choice
Interaction = discord.Interaction[Any]

KINDS = [Choice(name="news", value="news"), Choice(name="papers", value="papers"),
         Choice(name="all", value="all")]  # fmt: skip
LANGUAGES = [Choice(name="한국어 (ko)", value="ko"), Choice(name="English (en)", value="en")]
TOPICS = [Choice(name=t, value=t) for t in ("show", "dates", "categories", "subscribe")]


async def _choices(make: Callable[[], Awaitable[list[Choice[str]]]]) -> list[Choice[str]]:
    try:
        return await make()
    except Exception:
        log.exception("autocomplete failed")
        return []


def build_group(h: Handlers) -> app_commands.Group:
    group = app_commands.Group(
        name="aidigest", description="The daily AI news and papers digest", guild_only=True
    )

    @group.command(name="show", description="A section of a day, or the day's overview")
    @app_commands.rename(day="date")
    @app_commands.describe(
        kind="news, papers or all (default: all)",
        category="A category; type to search (default: the overview)",
        day="A ready day: YYYY-MM-DD, today, yesterday or -N (default: the newest)",
        share="Post the answer for everyone in this channel (default: only you see it)",
    )
    @app_commands.choices(kind=KINDS)
    async def show(
        interaction: Interaction,
        kind: str | None = None,
        category: str | None = None,
        day: str | None = None,
        share: bool = False,
    ) -> None:
        await h.show(interaction, kind, category, day, share)

    @show.autocomplete("category")
    async def show_category(interaction: Interaction, current: str) -> list[Choice[str]]:
        kind = getattr(interaction.namespace, "kind", None)
        return await _choices(lambda: _now(ac.categories(h.taxonomy, kind, current)))

    @show.autocomplete("day")
    async def show_day(interaction: Interaction, current: str) -> list[Choice[str]]:
        return await _choices(lambda: ac.dates(h.reader, current))

    @group.command(name="search", description="Search every day's items and summaries")
    @app_commands.describe(
        words="What to find, in English or Korean",
        kind="news or papers (default: both)",
        category="A category; type to search (default: any)",
    )
    @app_commands.choices(kind=KINDS[:2])
    async def search(
        interaction: Interaction, words: str, kind: str | None = None, category: str | None = None
    ) -> None:
        await h.search(interaction, words, kind, category)

    @search.autocomplete("category")
    async def search_category(interaction: Interaction, current: str) -> list[Choice[str]]:
        kind = getattr(interaction.namespace, "kind", None)
        return await _choices(lambda: _now(ac.categories(h.taxonomy, kind, current)))

    @group.command(name="dates", description="The days that are ready")
    async def dates(interaction: Interaction) -> None:
        await h.dates(interaction)

    @group.command(name="help", description="How to use /aidigest")
    @app_commands.choices(topic=TOPICS)
    async def help_(interaction: Interaction, topic: str | None = None) -> None:
        await h.help(interaction, topic)

    @group.command(name="subscribe", description="Post the digest in a channel every day")
    @app_commands.describe(
        channel="Where to post (default: this channel)",
        kinds="news, papers or all (default: all)",
        categories="Categories, comma-separated; type to search (default: every section)",
        time="Local post time, HH:MM (default: 09:00)",
        timezone="IANA time zone such as Asia/Seoul (default: the digest's)",
        language="Language of the post",
    )
    @app_commands.choices(kinds=KINDS, language=LANGUAGES)
    async def subscribe(
        interaction: Interaction,
        channel: discord.TextChannel | None = None,
        kinds: str | None = None,
        categories: str | None = None,
        time: str | None = None,
        timezone: str | None = None,
        language: str | None = None,
    ) -> None:
        await h.subscribe(interaction, channel, kinds, categories, time, timezone, language)

    @subscribe.autocomplete("categories")
    async def sub_categories(interaction: Interaction, current: str) -> list[Choice[str]]:
        kind = getattr(interaction.namespace, "kinds", None)
        return await _choices(lambda: _now(ac.category_list(h.taxonomy, kind, current)))

    @subscribe.autocomplete("time")
    async def sub_time(interaction: Interaction, current: str) -> list[Choice[str]]:
        return await _choices(lambda: _now(ac.times(current)))

    @subscribe.autocomplete("timezone")
    async def sub_timezone(interaction: Interaction, current: str) -> list[Choice[str]]:
        return await _choices(lambda: _now(ac.timezones(current)))

    @group.command(name="unsubscribe", description="Stop a channel's daily post")
    @app_commands.describe(channel="Which channel (default: this one)",
                           kinds="Stop only news or papers (default: everything)")  # fmt: skip
    @app_commands.choices(kinds=KINDS)
    async def unsubscribe(
        interaction: Interaction,
        channel: discord.TextChannel | None = None,
        kinds: str | None = None,
    ) -> None:
        await h.unsubscribe(interaction, channel, kinds)

    @group.command(name="subscriptions", description="The daily posts of this server")
    async def subscriptions(interaction: Interaction) -> None:
        await h.subscriptions(interaction)

    return group


async def _now(value: list[Choice[str]]) -> list[Choice[str]]:
    return value
