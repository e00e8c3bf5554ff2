"""Rendering within Discord's limits (pure: no network)."""

from __future__ import annotations

import re

import discord
from hypothesis import given
from hypothesis import strategies as st

from bot.discord_bot.embeds import (
    MAX_DESCRIPTION,
    link,
    overview_embeds,
    pack,
    safe,
    section_embeds,
    split_text,
    within_limits,
)
from core.digest import Section, SourceRef, SummaryPart
from tests.bot.discord_bot.helpers import Day

lines = st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=900),
                 max_size=30).map("\n".join)  # fmt: skip


@given(lines, st.integers(min_value=50, max_value=4096))
def test_split_text_keeps_every_piece_within_the_limit(text: str, limit: int) -> None:
    pieces = split_text(text, limit)
    assert all(len(p) <= limit for p in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())  # only blanks may go


@given(st.lists(st.integers(min_value=0, max_value=4000), max_size=40))
def test_pack_makes_messages_discord_accepts(sizes: list[int]) -> None:
    embeds = [discord.Embed(description="x" * n) for n in sizes]
    messages = pack(embeds)
    assert [e for m in messages for e in m] == embeds  # all of them, in order
    assert all(within_limits(m) for m in messages)


def test_every_demo_section_fits(day: Day) -> None:
    for section in day.built.digests["en"].sections:
        embeds = section_embeds(section)
        assert all(within_limits([e]) for e in embeds)
        text = "\n".join(e.description or "" for e in embeds)
        assert all(ref.url in text for ref in section.sources)


def test_a_huge_section_is_split_across_embeds_and_messages() -> None:
    refs = [SourceRef(n=i, item_id=f"x{i}", title="T" * 300, url=f"https://e.org/{i}",
                      source="feed") for i in range(1, 26)]  # fmt: skip
    parts = [SummaryPart(key="events", heading="Key points", text="- " + "word " * 1500)] * 3
    section = Section(date="2024-10-04", lang="en", kind="papers", category="llm", name="LLM",
                      parts=parts, sources=refs, total=99)  # fmt: skip
    embeds = section_embeds(section)
    assert len(embeds) > 3 and all(len(e.description or "") <= MAX_DESCRIPTION for e in embeds)
    messages = pack(embeds)
    assert len(messages) > 1 and all(within_limits(m) for m in messages)
    assert embeds[0].title == "LLM · Papers · 2024-10-04"
    assert embeds[-1].footer.text and "25" in embeds[-1].footer.text


def test_untrusted_text_cannot_mention_or_break_links() -> None:
    assert "@everyone" not in safe("hi @everyone and @here")
    assert re.search(r"<@[!&]?\d+>", safe("<@123456789012345678> <@&42>")) is None
    shown = link("a](https://evil.example) [b", "https://ok.example/x (1)")
    assert shown.startswith("[a\\](https://evil.example) \\[b](")
    assert shown.endswith("(https://ok.example/x%20%281%29)")
    assert link("plain", "javascript:alert(1)") == "plain"


def test_overview_shows_each_chart_by_attachment(day: Day) -> None:
    digest = day.built.digests["en"]
    embeds, files = overview_embeds(digest, ["news", "papers"], day.built.charts)
    assert [e.image.url for e in embeds] == [f"attachment://{f.filename}" for f in files]
    assert all(f.data.startswith(b"\x89PNG") for f in files)
