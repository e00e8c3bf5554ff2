"""Links at ingestion: one absolute http(s) URL with a host and nothing invisible inside, or
nothing (issue 14: a link with a newline split the report's list of sources)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.urls import http_url


def test_a_plain_link_passes_without_its_outer_whitespace() -> None:
    assert http_url("  https://example.com/a?b=1#c \n") == "https://example.com/a?b=1#c"
    assert http_url("HTTP://Example.com") == "HTTP://Example.com"
    assert http_url("https://한국.kr/가") == "https://한국.kr/가"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/a\n- [forged](http://evil.example)",
        "https://example.com/a\rb",
        "https://example.com/a b",
        "https://example.com/a\tb",
        "https://example.com/\x00",
        "https://example.com/\x7f",
        "https://example.com/\u202egnp.exe",
        "https://example.com/\u200b",
        "https://example.com/\u2028x",
        "https://example.com:http/",
        "javascript:alert(1)",
        "ftp://example.com/",
        "//example.com/a",
        "https:///path-only",
        "",
    ],
)
def test_anything_else_is_refused(url: str) -> None:
    assert http_url(url) is None


@given(st.text())
def test_what_passes_has_no_space_or_control_inside(text: str) -> None:
    url = http_url("https://e.com/" + text)
    if url is not None:
        assert not any(c.isspace() or not c.isprintable() for c in url)
