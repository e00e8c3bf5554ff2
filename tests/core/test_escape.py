"""Each renderer's escaping: hostile text shows as typed and forms no markup, link or mention."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from core import escape

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click here](http://evil.example)",
    "![img](http://evil.example/x.png)",
    "# Heading\n## Another",
    "<!channel> <@U123> @everyone @here <@&42>",
    "**bold** _it_ ~strike~ `code` ||spoiler||",
]


def test_markdown_leaves_no_live_markup() -> None:
    for text in HOSTILE:
        out = escape.markdown(text)
        assert "\n" not in out
        # every markup character is preceded by a backslash
        assert not re.search(r"(?<!\\)[<>\[\]`*_#!|~]", out.replace("\\\\", "")), out


def test_mrkdwn_forms_no_link_or_mention() -> None:
    for text in HOSTILE:
        out = escape.mrkdwn(text)
        assert "<" not in out and ">" not in out
    assert escape.mrkdwn("a & b") == "a &amp; b"


def test_discord_breaks_mentions_and_masked_links() -> None:
    out = escape.discord("[click here](http://evil.example) @everyone <@&42>")
    assert "](" not in out and "@everyone" not in out and "\\[click here\\]" in out
    assert "@\u200beveryone" in out


def test_html_escapes_tags_and_quotes() -> None:
    assert escape.html('<img src=x onerror="a">') == "&lt;img src=x onerror=&quot;a&quot;&gt;"


def test_only_http_urls_are_links() -> None:
    assert escape.http_url(" https://example.org/a?b=1 ") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", "http://", "https://a b", "https://x\n/y", "ftp://x"):
        assert escape.http_url(bad) is None


@given(st.text(max_size=80))
def test_markdown_round_trips_the_visible_text(text: str) -> None:
    unescaped = re.sub(r"\\(.)", r"\1", escape.markdown(text))
    assert unescaped == escape.one_line(text)
