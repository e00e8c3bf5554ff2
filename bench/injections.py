"""Counting injections that reached a rendering (bench/hostile.py): places where text a hostile
feed wrote became markup, a link, an image, HTML or a mention instead of showing as typed.

report.md is rendered by GitHub's own renderer (cmark-gfm, raw HTML let through so that any
shows); an injection there is
  - an element none of our own markup makes (raw HTML, strikethrough, a table, a task box),
    an image other than our charts, a link to anything but a collected item's URL, or a
    heading made of a feed's words;
  - a hostile title whose markup characters stand unescaped in the Markdown source.
Slack mrkdwn (Block Kit text): a `<…>` that is not our link to a collected item (a mention,
a broadcast, a forged link), or an unbroken @channel/@here/@everyone.
Discord markdown (message content, embed descriptions and field values): a masked link to
anything but a collected item, an unbroken @everyone/@here, a `<@…>`/`<#…>`/`<t:…>`, or a
hostile title whose markup characters stand unescaped.
Not counted (no renderer offers an escape for them; see core/escape.py): Slack's *bold* and
_italic_, GitHub's :emoji: codes and mailto autolinks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from typing import Any

import cmarkgfm
from cmarkgfm.cmark import Options

from bot.slack_bot.mrkdwn import safe_url
from core import escape

OUR_ELEMENTS = {"h1", "h2", "h3", "p", "blockquote", "ol", "ul", "li", "strong", "em", "code"}
OUR_ELEMENTS |= {"a", "img", "br"}
_SLACK_ANGLE = re.compile(r"<([^<>]*)>")
_BROADCAST = re.compile(r"(?<![\w\u200b])@(channel|here|everyone)\b", re.IGNORECASE)
_DISCORD_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\((?P<url>[^)\s]*)")
_DISCORD_ANGLE = re.compile(r"(?<!\\)<[@#]|(?<!\\)<t:")
_MARKUP = re.compile(r"[\\`*_{}\[\]<>()#+!|~&$:]")
_DISCORD_MARKUP = re.compile(r"[\\`*_~|\[\]<>]|^[#>-]")  # what Discord renders


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str], str]] = []  # tag, attributes, text
        self._open: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}, ""))
        if tag not in ("img", "br", "input", "hr"):
            self._open.append(len(self.found) - 1)

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for n in self._open:
            tag, attrs, text = self.found[n]
            self.found[n] = (tag, attrs, text + data)


def report(markdown: str, item_urls: set[str], hostile: Iterable[str]) -> list[str]:
    """The injections in report.md, one description each."""
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    elements = _Elements()
    elements.feed(html)
    titles = [t for t in hostile if t]
    urls = {escape.http_url(u) or u for u in item_urls}
    out = []
    for tag, attrs, text in elements.found:
        if tag not in OUR_ELEMENTS:
            out.append(f"report: <{tag}> element")
        elif tag == "img" and ("://" in attrs.get("src", "") or not attrs["src"].endswith(".png")):
            out.append(f"report: image {attrs.get('src', '')[:60]}")
        elif tag == "a" and attrs.get("href") not in urls:
            out.append(f"report: link to {attrs.get('href', '')[:60]}")
        elif tag in ("h1", "h2", "h3") and any(_fragment(text, t) for t in titles):
            out.append(f"report: heading {text[:60]!r}")
    for title in titles:
        if _MARKUP.search(title) and _raw(title, markdown):
            out.append(f"report: unescaped title {title[:60]!r}")
    return out


def _raw(title: str, text: str) -> bool:
    """`title` stands in `text` as written, its first character not backslash-escaped."""
    return re.search(r"(?<!\\)" + re.escape(title), text) is not None


def _fragment(text: str, title: str) -> bool:
    """`text` is a piece of `title` (a heading made of a feed's words)."""
    text = text.strip()
    return len(text) >= 4 and text in title


def slack(blocks: Iterable[dict[str, Any]], item_urls: set[str], own: str = "") -> list[str]:
    """The injections in Block Kit blocks (every mrkdwn text in them); links to `own` (the web
    archive's base URL) are ours."""
    out = []
    urls = {safe_url(u) or u for u in item_urls}  # as Slack needs them: & written &amp;
    for text in _texts(blocks, "mrkdwn"):
        for m in _SLACK_ANGLE.finditer(text):
            target = m.group(1).split("|", 1)[0]
            if target not in urls and not (own and target.startswith(own)):
                out.append(f"slack: <{m.group(1)[:60]}>")
        out += [f"slack: {m.group(0)}" for m in _BROADCAST.finditer(text)]
    return out


def discord(texts: Iterable[str], item_urls: set[str], hostile: Iterable[str]) -> list[str]:
    """The injections in Discord markdown texts (content, descriptions, field values)."""
    out = []
    urls = {escape.http_url(u) or u for u in item_urls}
    titles = [t for t in hostile if t and _DISCORD_MARKUP.search(t)]
    for text in texts:
        for m in _DISCORD_LINK.finditer(text):
            if m.group("url").strip("<>") not in urls:
                out.append(f"discord: masked link to {m.group('url')[:60]}")
        out += [f"discord: {m.group(0)}" for m in _BROADCAST.finditer(text)]
        out += [f"discord: {m.group(0)}…" for m in _DISCORD_ANGLE.finditer(text)]
        out += [f"discord: unescaped title {t[:60]!r}" for t in titles if _raw(t, text)]
    return out


def embed_texts(embeds: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The markdown-rendered texts of embeds (as `discord.Embed.to_dict()` gives them)."""
    for e in embeds:
        if e.get("description"):
            yield str(e["description"])
        for field in e.get("fields") or []:
            yield str(field.get("value", ""))


def _texts(node: Any, kind: str) -> Iterator[str]:
    """Every {"type": kind, "text": …} string in a JSON-like tree."""
    if isinstance(node, dict):
        if node.get("type") == kind and isinstance(node.get("text"), str):
            yield node["text"]
        for value in node.values():
            yield from _texts(value, kind)
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value, kind)


def dump(found: list[str]) -> str:
    return json.dumps(found[:20], ensure_ascii=False, indent=1)
