"""Each renderer's escaping against a hostile corpus: the text shows as typed and forms no
markup, link, image, mention or HTML. The report's Markdown is rendered by GitHub's own
renderer (cmark-gfm, with its autolink, table, strikethrough and tag-filter extensions)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import cmarkgfm
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import escape

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click here](http://evil.example)",
    "![img](http://evil.example/x.png)",
    "[ref]: http://evil.example",
    "# Heading\n## Another",
    "<!channel> <@U123> @everyone @here <@&42> <#C42|general>",
    "**bold** _it_ ~~strike~~ ~strike~ `code` ||spoiler|| __under__",
    "<http://evil.example|Totally legit link>",
    "see http://evil.example or https://evil.example/x or www.evil.example",
    "1. Ordered",
    "2) Ordered",
    "- item",
    "+ item",
    "* item",
    "> quoted",
    "-# subtext",
    "=== setext",
    "| a | b |\n|---|---|\n| c | d |",
    "```python\nprint(1)\n```",
    "    indented code",
    "Entities &lt;b&gt;x&lt;/b&gt; &amp; &#60;img&#62; &copy;",
    "Math $x^2$ and $$y$$",
    "Bidi \u202etxt.exe\u202c and \x00 NUL \x1b[31m ANSI \x7f DEL",
    "<t:1700000000:R> <:emoji:123> </command:456>",
    "trailing backslash \\",
    "line one\r\n- [forged](http://evil.example)",
    "<div>block</div>",
    "&#x3C;script&#x3E;",
]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def github(markdown: str) -> _Tags:
    html = cmarkgfm.github_flavored_markdown_to_html(markdown)
    parsed = _Tags()
    parsed.feed(html)
    return parsed


def _ours(tags: list[tuple[str, dict[str, str | None]]]) -> list[str]:
    """The tags of a report's source line: ol, li, a (our link); mailto autolinks aside."""
    return [t for t, a in tags if not (t == "a" and str(a.get("href", "")).startswith("mailto:"))]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_in_a_source_line_renders_as_the_text_itself(text: str) -> None:
    line = f"1. [{escape.markdown(text)}](https://example.com/a) — {escape.markdown(text)}"
    rendered = github(line)
    assert _ours(rendered.tags) == ["ol", "li", "a"], rendered.tags
    assert rendered.tags[2][1] == {"href": "https://example.com/a"}
    shown = escape.one_line(text)
    assert "".join(rendered.text).strip() == f"{shown} — {shown}"


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_at_the_start_of_a_line_starts_nothing(text: str) -> None:
    rendered = github(escape.markdown(text))
    assert _ours(rendered.tags) in (["p"], []), rendered.tags
    assert "".join(rendered.text).strip() == escape.one_line(text)


@given(st.text(max_size=60))
def test_markdown_of_any_text_renders_as_that_text(text: str) -> None:
    rendered = github(f"- {escape.markdown(text)} — [x](https://e.com)")
    assert _ours(rendered.tags) == ["ul", "li", "a"]
    assert "".join(rendered.text).strip() == f"{escape.one_line(text)} — x".strip()


@given(st.text(max_size=80))
def test_markdown_round_trips_the_visible_text(text: str) -> None:
    unescaped = re.sub(r"\\(.)", r"\1", escape.markdown(text))
    assert unescaped == escape.one_line(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_mrkdwn_forms_no_link_mention_or_quote(text: str) -> None:
    out = escape.mrkdwn(text)
    assert "<" not in out and ">" not in out and "\n" not in out
    assert not re.search(r"@(channel|here|everyone)", out)
    assert not out.startswith("&gt;")
    assert re.sub(
        r"&(amp|lt|gt);",
        lambda m: {"amp": "&", "lt": "<", "gt": ">"}[m.group(1)],
        out.replace("\u200b", ""),
    ) == escape.one_line(text)


def test_mrkdwn_examples() -> None:
    assert escape.mrkdwn("a & b <!channel>") == "a &amp; b &lt;!channel&gt;"
    assert escape.mrkdwn("@channel hi") == "@\u200bchannel hi"
    assert escape.mrkdwn("> not a quote") == "\u200b&gt; not a quote"


@pytest.mark.parametrize("text", HOSTILE)
def test_discord_leaves_no_live_markup_or_mention(text: str) -> None:
    out = escape.discord(text)
    assert "\n" not in out
    # every markup character is escaped (a backslash before it, itself not escaped)
    bare = re.sub(r"\\.", "", out)
    assert not re.search(r"[\\`*_~|\[\]()<>#:-]", bare), out
    assert not re.search(r"@(everyone|here|[!&]?\d)", out)
    assert not re.match(r"\d+[.)]", bare)


def test_discord_examples() -> None:
    out = escape.discord("[click here](http://evil.example) @everyone <@&42>")
    assert "](" not in out and "@everyone" not in out and "\\[click here\\]" in out
    assert "@\u200beveryone" in out
    assert escape.discord("1. first") == "1\\. first"


_INVISIBLE = "[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]"


def _one_line_by_patterns(text: str) -> str:
    """escape.one_line as first written, by patterns (it is now str.split and a check)."""
    return re.sub(r"\s+", " ", re.sub(_INVISIBLE, "", re.sub(r"\s+", " ", text))).strip()


def _discord_by_patterns(text: str) -> str:
    """escape.discord as first written, pattern by pattern (it is now str.replace)."""
    out = re.sub(r"([\\`*_~|\[\]()<>#:>-])", r"\\\1", _one_line_by_patterns(text))
    out = re.sub(r"\A(\d{1,9})(?=[.)])", r"\1\\", out)
    return re.sub(r"@(?=everyone|here|[!&]?\d)", "@\u200b", out, flags=re.IGNORECASE)


_TRICKY = "\\`*_~|[]()<>#:-@!&.) \n\t\x0b\x1c\x85\xa0\u2028\u202e\ufeff\x00\x9f1٣²aEhHv\u200b"


@given(st.text(alphabet=st.sampled_from(_TRICKY), max_size=40) | st.text(max_size=40))
def test_discord_is_what_its_patterns_make(text: str) -> None:
    assert escape.one_line(text) == _one_line_by_patterns(text)
    assert escape.discord(text) == _discord_by_patterns(text)


@pytest.mark.parametrize("text", [*HOSTILE, "12. x", "٣) y", "@Everyone @HERE @!1 @&2 @3"])
def test_discord_is_what_its_patterns_make_of_hostile_text(text: str) -> None:
    assert escape.discord(text) == _discord_by_patterns(text)


def test_html_escapes_tags_and_quotes() -> None:
    assert escape.html('<img src=x onerror="a">') == "&lt;img src=x onerror=&quot;a&quot;&gt;"
    assert escape.html("it's") == "it&#x27;s"


def test_only_plain_http_urls_are_links() -> None:
    assert escape.http_url(" https://example.org/a?b=1 ") == "https://example.org/a?b=1"
    bad = [
        "javascript:alert(1)",
        "http://",
        "https://a b",
        "https://x\n/y",
        "https://x/\u202egnp.exe",
        "ftp://x",
        "https://user:pw@evil.example/",
        "https://x:port/",
        "data:text/html,<script>",
    ]
    for url in bad:
        assert escape.http_url(url) is None, url


def test_link_ending_characters_are_percent_encoded() -> None:
    url = "https://en.wikipedia.org/wiki/Foo_(bar)?q=a|b&c=<d>#\"x'"
    safe = escape.http_url(url)
    assert safe == "https://en.wikipedia.org/wiki/Foo_%28bar%29?q=a%7Cb&c=%3Cd%3E#%22x%27"
    rendered = github(f"[t]({safe})")
    assert rendered.tags == [("p", {}), ("a", {"href": safe})]
    assert escape.http_url("http://[::1]:8080/a") == "http://[::1]:8080/a"
    assert escape.http_url("https://한국.kr/가") == "https://한국.kr/가"
