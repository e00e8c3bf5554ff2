"""Block Kit rendering: Slack's limits hold for any text, and untrusted text does nothing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.slack_bot.blocks import chunks, esc, link, pages, safe_url, section_blocks
from core.digest import Section, SourceRef, SummaryPart
from core.pipeline import BuiltDay
from tests.doubles.slack_rules import block_errors, markup


def section(
    text: str, title: str = "A title", url: str = "https://example.org/a?x=1&y=2"
) -> Section:
    return Section(
        date="2024-10-04",
        lang="en",
        kind="papers",
        category="llm",
        name="LLM",
        parts=[SummaryPart(key="themes", heading="Main themes", text=text)],
        sources=[SourceRef(n=1, item_id="x", title=title, url=url, source="arxiv")],
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
