"""Rendering within Discord's limits (pure: no network)."""

from __future__ import annotations

import re

import discord
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.discord_bot.embeds import link, overview_embeds, section_embeds
from bot.discord_bot.limits import MAX_DESCRIPTION, pack, split_text, within_limits
from core import escape
from core.digest import Digest, Section, SourceRef, SummaryPart
from core.notes import failed_note
from tests.bot.discord_bot.helpers import Day
from tests.bot.sections import llm_section

lines = st.lists(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=900), max_size=30
).map("\n".join)


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
    section = llm_section("papers", parts, refs, total=99)
    embeds = section_embeds(section)
    assert len(embeds) > 3 and all(len(e.description or "") <= MAX_DESCRIPTION for e in embeds)
    messages = pack(embeds)
    assert len(messages) > 1 and all(within_limits(m) for m in messages)
    assert embeds[0].title == "LLM · Papers · 2024-10-04"
    assert embeds[-1].footer.text and "25" in embeds[-1].footer.text


def test_a_source_title_cannot_mention_or_break_its_link() -> None:
    shown = link("a](https://evil.example) [b @everyone", "https://ok.example/x(1)")
    assert shown.startswith("[a\\]\\(https\\://evil.example\\) \\[b @\u200beveryone](")
    assert shown.endswith("](https://ok.example/x%281%29)")
    assert link("plain", "javascript:alert(1)") == "plain"
    assert link("spaced", "https://ok.example/a b") == "spaced"  # not a URL Discord would link


def test_overview_shows_each_chart_by_attachment(day: Day) -> None:
    digest = day.built.digests["en"]
    embeds, files = overview_embeds(digest, ["news", "papers"], day.built.charts)
    assert [e.image.url for e in embeds] == [f"attachment://{f.filename}" for f in files]
    assert all(f.data.startswith(b"\x89PNG") for f in files)


HOSTILE = (
    "See [click here](http://evil.example) now [2](http://evil.example)\n# Big heading\n"
    "![img](http://evil.example/x.png)"
    " @everyone <@&42>"
)
MASKED = re.compile(r"(?<!\\)\[[^\]\n]*(?<!\\)\]\((?!https://ok\.example)")  # not our source link


def hostile_section() -> Section:
    evil = "http://evil.example"
    refs = [SourceRef(n=1, item_id="x1", title=f"[win]({evil}) ## free",
                      url="https://ok.example/a", source=f"[feed]({evil})")]  # fmt: skip
    parts = [SummaryPart(key="events", heading="## [Heading](http://evil.example)", text=HOSTILE)]
    return llm_section("papers", parts, refs, total=1)


def test_markdown_from_feeds_and_models_does_nothing() -> None:
    for embed in section_embeds(hostile_section()):
        for text in (embed.title or "", embed.description or ""):
            assert MASKED.search(text) is None, text
            assert not re.search(r"(?m)^#", text), text  # no line starts a heading
            assert "![" not in text.replace("!\\[", "")
            assert "@everyone" not in text and "<@&42>" not in text
    desc = section_embeds(hostile_section())[0].description or ""
    assert "](https://ok.example/a)" in desc  # the source itself is still a link


def test_a_list_part_keeps_one_item_a_line() -> None:
    keywords = "- ‘agents’: in 3 of 8 items [1][2][3]\n- ‘#tools’: in 2 of 8 items [2][4]"
    parts = [SummaryPart(key="keywords", heading="Keywords", text=keywords)]
    refs = [SourceRef(n=i, item_id=f"x{i}", title=f"T{i}", url=f"https://e.org/{i}",
                      source="feed") for i in range(1, 5)]  # fmt: skip
    section = llm_section("news", parts, refs, total=4)
    desc = section_embeds(section)[0].description or ""
    assert "\n- ‘agents’\\: in 3 of 8 items [1][2][3]\n- ‘\\#tools’\\: in 2 of 8" in desc


# A kind's note quotes a failing source's error, and an HTTP error its server's reason phrase.
NOTES = (
    failed_note(
        "status-feed",
        "status-feed: HTTP 503 [click here](http://evil.example) (server error)",
        "en",
    ),
    "# Big heading [x](http://evil.example)",
    "-# small print @everyone <@&42> <@123>",
    "## [Heading](http://evil.example) @here",
)
HEADING = re.compile(r"(?m)^(?:> )?(?:-#|#{1,3}) ")  # a line (or a quoted one) made a heading


def hostile_overview(digest: Digest, note: str) -> tuple[Digest, list[Section]]:
    """`digest` with `note` on every kind, and its sections with a hostile top title each."""
    kinds = {k: kd.model_copy(update={"note": note}) for k, kd in digest.kinds.items()}
    sections = []
    for s in digest.sections:
        top = s.sources[0].model_copy(
            update={"title": f"{note} [win](http://evil.example)", "url": "https://ok.example/a"}
        )
        sections.append(s.model_copy(update={"sources": [top, *s.sources[1:]]}))
    return digest.model_copy(update={"kinds": kinds}), sections


@pytest.mark.parametrize("note", NOTES)
def test_an_overviews_notes_and_top_titles_do_nothing(day: Day, note: str) -> None:
    digest, sections = hostile_overview(day.built.digests["en"], note)
    embeds, _ = overview_embeds(digest, ["news", "papers"], {}, sections=sections)
    assert len(embeds) == 2
    for kind, embed in zip(["news", "papers"], embeds, strict=True):
        text = embed.description or ""
        assert f"> {escape.discord(note)}" in text  # the note is there, as typed
        tops = [s for s in sections if s.kind == kind]
        assert tops and text.count("](https://ok.example/a)") == len(tops)  # titles still link
        assert MASKED.search(text) is None, text
        assert HEADING.search(text) is None, text
        for ping in ("@everyone", "@here", "<@&42>", "<@123>"):
            assert ping not in text, text
