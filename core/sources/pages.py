"""The page a Hacker News story links to: its title and what it says, for classification and
summaries (an HN hit alone has a title and, for Ask/Show HN, the story's own text).

A page is read only up to the end of its <head> (where the title and descriptions are) plus at
most PAGE_BYTES, HTML only, with no retries, within PAGE_SECONDS and what is left of the
source's deadline; a few pages are read at once. Pages are chosen by strangers, so they get the
source's address rules like any fetch. A page that fails leaves its item as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import httpx

from core.items import Item
from core.sources.address import AllowPrivate
from core.sources.feed import MAX_SUMMARY, MAX_TITLE, clip, collapse
from core.sources.http import SourceError, fetch
from core.sources.watch import Deadline

PAGE_BYTES = 256_000  # the head of nearly every article page, and its first paragraphs
PAGE_SECONDS = 5.0  # at most, per page
RESERVE_SECONDS = 1.0  # of the source's deadline, left for everything after the pages
PARALLEL = 4
_DESCRIPTIONS = ("description", "og:description", "twitter:description")


class _Head(HTMLParser):
    """Title, meta descriptions, and the text of the first <p> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.meta: dict[str, str] = {}
        self.paragraphs: list[str] = []
        self._in: list[str] = []  # open elements whose text we collect, or ignore

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            a = {k.lower(): v or "" for k, v in attrs}
            key = (a.get("name") or a.get("property") or "").lower()
            if key in _DESCRIPTIONS or key == "og:title":
                self.meta.setdefault(key, a.get("content", ""))
        elif tag in ("title", "p", "script", "style", "noscript", "template", "svg"):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass
            if tag == "p" and "p" not in self._in:
                self.paragraphs.append("")

    def handle_data(self, data: str) -> None:
        if not self._in:
            return
        if self._in[-1] == "title" and len(self._in) == 1:
            self.title.append(data)
        elif self._in[-1] == "p":
            if not self.paragraphs:
                self.paragraphs.append("")
            self.paragraphs[-1] += data


def read_page(html: bytes) -> tuple[str, str]:
    """(title, text) of an article page: its <title> (or og:title), and its meta description
    or, lacking one, its first paragraphs; both plain text, one line, clipped."""
    head = _Head()
    head.feed(html.decode("utf-8", errors="replace"))
    title = collapse("".join(head.title)) or collapse(head.meta.get("og:title", ""))
    text = next((collapse(head.meta[k]) for k in _DESCRIPTIONS if head.meta.get(k)), "")
    if not text:
        text = collapse(" ".join(p for p in head.paragraphs if len(p.split()) >= 5))
    return clip(title, MAX_TITLE), clip(text, MAX_SUMMARY)


def is_html(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() in ("text/html", "application/xhtml+xml")


def _page(
    client: httpx.Client, url: str, deadline: Deadline, allow: AllowPrivate
) -> tuple[str, str]:
    seconds = min(PAGE_SECONDS, deadline.remaining() - RESERVE_SECONDS)
    if seconds <= 0:
        return "", ""
    try:
        got = fetch(
            client,
            url,
            retries=0,
            deadline=seconds,
            allow_private=allow,
            max_bytes=PAGE_BYTES,
            truncate=True,
            accept=is_html,
        )
    except SourceError:
        return "", ""
    return read_page(got.body) if got.body else ("", "")


def with_pages(
    client: httpx.Client,
    items: Sequence[Item],
    linked: Sequence[str | None],
    deadline: Deadline,
    allow: AllowPrivate,
) -> list[Item]:
    """`items` with the text of their pages (`linked`: the page of each item, or None) before
    what they had: "page title — page text. item's own text"."""
    jobs = [(n, url) for n, url in enumerate(linked) if url]
    if not jobs:
        return list(items)
    with ThreadPoolExecutor(max_workers=min(PARALLEL, len(jobs))) as pool:
        found = list(pool.map(lambda job: _page(client, job[1], deadline, allow), jobs))
    out = list(items)
    for (n, _), (title, text) in zip(jobs, found, strict=True):
        item = out[n]
        parts = [p for p in (title, text, item.summary) if p]
        if title and title.casefold() in item.title.casefold():
            parts.remove(title)  # the HN title usually is the page's title
        out[n] = item.model_copy(update={"summary": clip(" — ".join(parts), MAX_SUMMARY)})
    return out
