"""Hostile words from servers and feeds, end to end over the stand-in: a day whose notes quote a
failing source's error (with its server's reason phrase), whose top titles and indexed items
carry masked links, headings, subtext and mentions, answered by the real bot. What arrives on
Discord shows them as typed: no heading, no masked link, no ping."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

import pytest
import redis

from core import escape
from core.notes import failed_note
from core.pipeline import BuiltDay
from core.search import SearchWriter
from tests import days
from tests.bot.discord_bot.helpers import KEYS, PREFIX, BotThread, Day, guild_for
from tests.doubles.discord_control import Control

EVIL = "http://evil.example"
NOTES = {
    "news": failed_note(
        "status-feed", f"status-feed: HTTP 503 [click here]({EVIL}) (server error)", "en"
    ),
    "papers": f"-# small print [x]({EVIL}) @everyone <@&42>",
}
TOP = f"# free GPUs [win]({EVIL}) @here"
FOUND = [  # titles of two indexed items, found by the word "zorblax"
    f"# zorblax heading [click here]({EVIL}) @everyone",
    f"-# zorblax subtext <@&42> [x]({EVIL})",
]
HEADING = re.compile(r"(?m)^\s*(?:> )?(?:-#|#{1,3}) ")  # a line made a heading or subtext
PINGS = ("@everyone", "@here", "<@&42>")


def hostile_day(built: BuiltDay, when: dt.date) -> BuiltDay:
    """`built` under `when`, with NOTES on its kinds, TOP as every section's top title, and
    FOUND as the titles of its first two items."""
    day = days.redate(built, when)
    items = [i.model_copy(update={"title": t}) for i, t in zip(day.items, FOUND, strict=False)]
    digest = day.digests["en"]
    kinds = {k: kd.model_copy(update={"note": NOTES[k]}) for k, kd in digest.kinds.items()}
    sections = [
        s.model_copy(
            update={"sources": [s.sources[0].model_copy(update={"title": TOP}), *s.sources[1:]]}
        )
        for s in digest.sections
    ]
    new = digest.model_copy(update={"kinds": kinds, "sections": sections})
    return replace(day, items=[*items, *day.items[len(FOUND) :]], digests={"en": new})


@pytest.fixture(scope="module")
def evil(db: redis.Redis, day: Day, bot: BotThread) -> BuiltDay:
    """The hostile day, a week before `day`, published and indexed for search."""
    built = hostile_day(day.built, dt.date.fromisoformat(day.date) - dt.timedelta(days=7))
    days.publish(db, built, PREFIX)
    SearchWriter(db, KEYS).index_built(built)
    bot.published(built.date)
    return built


@pytest.fixture(scope="module")
def guild(bot: BotThread, control: Control, evil: BuiltDay) -> dict[str, Any]:
    return guild_for(bot, control, "hostile", [{"name": "general"}])


def harmless(text: str) -> None:
    assert f"]({EVIL}" not in text, text  # no masked link to it
    assert HEADING.search(text) is None, text
    for ping in PINGS:
        assert ping not in text, text


@pytest.mark.parametrize("kind", ["news", "papers"])
def test_an_overviews_note_and_top_titles_arrive_as_text(
    guild: dict[str, Any], control: Control, evil: BuiltDay, kind: str
) -> None:
    res = control.interact(guild["id"], "show", {"kind": kind, "date": evil.date})
    assert res["callbacks"], res.get("refused")
    (embed,) = res["callbacks"][0]["data"]["embeds"]
    assert embed["title"] == f"{kind.title()} · {evil.date}"
    text = embed["description"]
    assert f"> {escape.discord(NOTES[kind])}" in text  # shown, as the source's words
    tops = len(evil.digests["en"].kinds[kind].sections)
    assert text.count(f"[{escape.discord(TOP)}](https://") == tops  # still links to the items
    harmless(text)


def test_a_hostile_indexed_title_is_a_search_hit_as_text(
    guild: dict[str, Any], control: Control, evil: BuiltDay
) -> None:
    res = control.interact(guild["id"], "search", {"words": "zorblax"})
    assert res["callbacks"], res.get("refused")
    text = res["callbacks"][0]["data"]["content"]
    assert text.startswith("2 results for “zorblax”:")
    for title in FOUND:
        assert f"\n   {escape.discord(title)}" in text  # each hit's title, as typed
    assert f"1. {evil.date} · papers · " in text
    harmless(text)


def test_the_searched_words_echo_as_text(guild: dict[str, Any], control: Control) -> None:
    words = "-# qqqzzz [zvvq](zqqv) <@&9731>"
    res = control.interact(guild["id"], "search", {"words": words})
    text = res["callbacks"][0]["data"]["content"]
    assert text.startswith(f"Nothing found for “{escape.discord(words)}”")
    assert "`/aidigest search words:diffusion models`" in text  # the command that works here
    assert "[zvvq](zqqv)" not in text and "<@&9731>" not in text
    harmless(text)
