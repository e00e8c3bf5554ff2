"""Block Kit rendering: Slack's limits hold for any text, and untrusted text does nothing."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.slack_bot.blocks import (
    chunks,
    esc,
    link,
    pages,
    safe_url,
    section_blocks,
    text_blocks,
)
from bot.slack_bot.limits import MAX_MESSAGE_TEXT, text_size
from core.digest import Section, SourceRef, SummaryPart
from core.pipeline import BuiltDay
from tests.bot.sections import llm_section
from tests.doubles.slack_rules import block_errors, markup


def section(
    text: str, title: str = "A title", url: str = "https://example.org/a?x=1&y=2"
) -> Section:
    return llm_section(
        "papers",
        [SummaryPart(key="themes", heading="Main themes", text=text)],
        [SourceRef(n=1, item_id="x", title=title, url=url, source="arxiv")],
        total=3,
    )


def test_escaping_and_links() -> None:
    assert esc("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"
    assert safe_url("javascript:alert(1)") is None and safe_url("ftp://x") is None
    assert safe_url("https://a.b/c d|e>f<g&h") == "https://a.b/c%20d%7Ce%3Ef%3Cg&amp;h"
    assert link("javascript:alert(1)", "<b>") == "&lt;b&gt;"
    assert markup(link("https://ok.example/x|y>", "<!here>")) == [
        "https://ok.example/x%7Cy%3E|&lt;!here&gt;"
    ]


def test_citations_link_to_their_own_sources() -> None:
    blocks = section_blocks(section("Two things [1] and [7] and **bold**."))
    text = blocks[1]["text"]["text"]
    assert "<https://example.org/a?x=1&amp;y=2|[1]>" in text and "[7]" in text and "*bold*" in text
    assert "[7]>" not in text  # no source 7: left as text


def test_every_demo_section_fits(demo_day: BuiltDay) -> None:
    for digest in demo_day.digests.values():
        for s in digest.sections:
            for page in pages(section_blocks(s)):
                assert not block_errors(page), (s.kind, s.category)


def test_a_huge_section_is_split_within_the_limits() -> None:
    long = "\n".join(f"- point {i} " + "word " * (i % 400) for i in range(400))
    blocks = section_blocks(section(long + " " + "x" * 7000))
    split = pages(blocks)
    assert len(split) > 1 and all(not block_errors(p) for p in split)
    joined = "".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert joined.count("point") == 400 and joined.count("x") >= 7000


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=9000), st.integers(10, 3000))
def test_chunks_keep_every_character_within_the_limit(text: str, limit: int) -> None:
    got = chunks(text, limit)
    assert all(len(c) <= limit for c in got)
    assert "".join("".join(got).split()) == "".join(text.split())  # nothing lost


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400), st.text(max_size=200))
def test_any_feed_text_renders_without_markup_of_its_own(title: str, summary: str) -> None:
    blocks = section_blocks(section(summary, title=title, url="https://example.org/p"))
    assert not block_errors(blocks[:50])
    for b in blocks:
        text = b.get("text", {}).get("text") or "".join(e["text"] for e in b.get("elements", []))
        for token in markup(text):
            assert token.split("|", 1)[0] == "https://example.org/p"


def test_a_source_line_over_3000_characters_is_never_cut_inside_its_link() -> None:
    url = "https://example.org/" + "p" * 1400 + "?q=1&r=2"
    title = "A very long title, " * 200  # 3,800 characters of feed text
    s = section("Summary [1].", title=title, url=url)
    blocks = section_blocks(s)
    assert not block_errors(blocks)
    for b in blocks:
        shown = b.get("text", {}).get("text", "")
        assert shown.count("<") == shown.count(">"), shown[:80]
        for token in markup(shown):  # every <…> is a whole link to the source
            assert token.split("|", 1)[0] == safe_url(url)


def test_sources_with_long_titles_page_by_characters() -> None:
    refs = [
        SourceRef(
            n=i,
            item_id=f"x{i}",
            title="T" * 290 + f" {i}",
            url=f"https://e.org/{i}",
            source="arxiv",
        )
        for i in range(1, 121)
    ]
    s = section("Summary [1].").model_copy(update={"sources": refs, "total": 120})
    split = pages(section_blocks(s))
    assert len(split) > 1
    for page in split:
        assert len(page) <= 50 and text_size(page) <= MAX_MESSAGE_TEXT
        assert not block_errors(page)
    shown = "".join(b["text"]["text"] for p in split for b in p if b["type"] == "section")
    assert all(f"<https://e.org/{i}|" in shown for i in range(1, 121))


ATOMS = st.sampled_from(
    ["<https://a.example/x|label>", "&amp;", "&lt;", "word", "longerword", " ", "  ", "\n", "é"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ATOMS, max_size=600), st.integers(40, 400))
def test_chunks_never_cut_a_link_or_an_entity(atoms: list[str], limit: int) -> None:
    got = chunks("".join(atoms), limit)
    assert all(len(c) <= limit for c in got)
    for c in got:
        assert re.sub(r"<https://a\.example/x\|label>|&(amp|lt);", "", c).count("<") == 0
        assert "&" not in re.sub(r"&(amp|lt);", "", c)
    assert "".join("".join(got).split()) == "".join("".join(atoms).split())


def test_a_summarys_bullets_and_our_own_lines_keep_their_line_breaks() -> None:
    """esc makes one line of what it is given: multi-line text is escaped line by line."""
    blocks = section_blocks(section("- first & one [1]\n- <!here> second\n\n**bold** end"))
    text = blocks[1]["text"]["text"]
    assert text.endswith(
        "- first &amp; one <https://example.org/a?x=1&amp;y=2|[1]>\n- &lt;!here&gt; second\n\n"
        "*bold* end"
    )
    [hits] = text_blocks("2 results:\n1. 2024-10-04 · papers\n   https://d.example/2024-10-04/x")
    assert hits["text"]["text"].split("\n") == [
        "2 results:",
        "1. 2024-10-04 · papers",
        "   https://d.example/2024-10-04/x",
    ]
    [quoted] = text_blocks("ok\n> not a quote")
    assert "\n\u200b&gt; not a quote" in quoted["text"]["text"]  # no line starts a quote
