"""Summary text as segments (pure): lists, emphasis, keywords, citations; nothing else is markup."""

from __future__ import annotations

from web.text import Segment, blocks, inline


def test_lines_starting_with_a_dash_are_a_list_and_others_paragraphs() -> None:
    got = blocks("Intro [1]\n- one [2]\n- two\n\nOutro", {1, 2})
    assert [b.kind for b in got] == ["p", "ul", "p"]
    assert len(got[1].lines) == 2


def test_emphasis_keywords_and_known_citations() -> None:
    assert inline("**Title**: uses `rag` [2][9]", {1, 2}) == [
        Segment("strong", "Title"),
        Segment("text", ": uses "),
        Segment("code", "rag"),
        Segment("text", " "),
        Segment("cite", "[2]", 2),
        Segment("text", "[9]"),  # no source 9: not a link
    ]


def test_links_and_tags_stay_text() -> None:
    hostile = "[click](javascript:alert(1)) <img src=x onerror=alert(1)> &amp;"
    assert inline(hostile, {1}) == [Segment("text", hostile)]
