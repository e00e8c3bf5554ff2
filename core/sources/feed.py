"""RSS and Atom feeds, parsed by feedparser from bytes we fetched, with HTML reduced to text.

An item's text is the entry's full content when the feed carries it (`content:encoded`, Atom
`content`), else its description, as plain text. A huge feed is cut to its first and last
entries before feedparser sees it (core/sources/entries.py), so its cost follows max_items.

Also home of the text helpers every source uses: items carry plain text only (escaping for
Slack or Discord is the bots' job), never the contents of a <script> or <style>, and no
control or bidi-override characters. And of `json_document`, the check every JSON API's answer
gets (HF, HN).
"""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from xml.sax import SAXException

import feedparser

from core.escape import one_line
from core.items import Item, url_item_id
from core.sources.entries import trim_entries
from core.sources.fetch import Fetch, Window
from core.sources.http import SourceError
from core.sources.spec import SourceSpec
from core.urls import canonical_url, http_url

MAX_TITLE = 300
MAX_SUMMARY = 3000  # a full post's first paragraphs: more than any prompt takes of one source
_MAX_HTML = 200_000  # characters of one entry's HTML read to find those paragraphs

_DROPPED = frozenset({"script", "style", "noscript", "template"})
_BREAKS = frozenset(  # elements that separate words: their edges become spaces
    {"p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}
    | {"tr", "td", "th", "blockquote", "pre", "section", "article", "table"}
)
# "<!channel>" is text (a Slack mention), not markup: keep it from becoming a bogus comment.
_NOT_MARKUP = re.compile(r"<!(?!--|\[CDATA\[|doctype)", re.IGNORECASE)
_CUT_TAG = re.compile(r"<[a-zA-Z/][^<>]*\Z")  # feeds that clip descriptions mid-tag ("<stro")
_SCRIPT_BLOCK = re.compile(r"<(script|style)\b[^>]*>.*?(</\1\s*>|\Z)", re.IGNORECASE | re.DOTALL)
_HTML_START = re.compile(
    rb"\A(\xef\xbb\xbf)?\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0  # depth inside elements whose contents are dropped

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self.hidden += 1
        elif tag in _BREAKS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def collapse(text: str) -> str:
    """One line: whitespace runs as one space, control and bidi-override characters gone."""
    return one_line(text)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: tags dropped, script/style contents dropped entirely,
    entities unescaped, whitespace collapsed."""
    parser = _TextOnly()
    parser.feed(_NOT_MARKUP.sub("&lt;!", _CUT_TAG.sub("", fragment)))
    parser.close()
    return collapse("".join(parser.parts))


def plain_text(text: str) -> str:
    """Text that is not HTML (abstracts with LaTeX and `a<b`): only script/style blocks go."""
    return collapse(_SCRIPT_BLOCK.sub(" ", text))


def looks_like_html(data: bytes) -> bool:
    """An HTML page (a login wall, a bot check, an error page) where a document was due."""
    return _HTML_START.match(data[:4096]) is not None


def json_document(data: bytes, spec: SourceSpec, expected: str) -> Any:
    """A JSON API's answer, decoded; an HTML page or invalid JSON raises SourceError."""
    if looks_like_html(data):
        raise SourceError(f"{spec.name}: got an HTML page instead of {expected}")
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError) as e:
        raise SourceError(f"{spec.name}: the response is not valid JSON ({e})") from e


def _when(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:  # feedparser gives a struct_time already normalised to UTC
        y, mo, d, h, mi, sec = (int(v) for v in parsed[:6])
        return datetime(y, mo, d, h, mi, sec, tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def _text(entry: Any) -> str:
    """The longest of the entry's texts: its full content (content:encoded, Atom content) when
    the feed has it, else the description. All are read as HTML: RSS declares no type, and
    feedparser labels escaped HTML descriptions text/plain."""
    # summary_detail is the <description>/<summary>; plain `summary` may be a media:description.
    candidates = [str(c.get("value") or "") for c in entry.get("content") or []]
    candidates.append(str((entry.get("summary_detail") or {}).get("value") or ""))
    texts = [html_to_text(c[:_MAX_HTML]) for c in candidates if c.strip()]
    if not any(texts):
        texts.append(html_to_text(str(entry.get("summary") or "")[:_MAX_HTML]))
    return max(texts, key=len)


def _title(entry: Any) -> str:
    raw = str(entry.get("title") or "")
    if "html" in str((entry.get("title_detail") or {}).get("type", "")):
        return html_to_text(raw)
    # Plain text ("Using <div> in React" keeps its <div>), but feeds double-escape: "&amp;".
    return plain_text(html.unescape(raw))


def _item(entry: Any, spec: SourceSpec) -> Item | None:
    link = http_url(str(entry.get("link") or ""))
    if link is None:  # none, not http(s), or with a newline or control character inside
        return None
    title = clip(_title(entry), MAX_TITLE) or link
    authors = tuple(str(a["name"]) for a in entry.get("authors") or [] if a.get("name"))
    return Item(
        id=url_item_id(canonical_url(link)),
        kind=spec.kind,
        title=title,
        url=link,
        source=spec.name,
        summary=clip(_text(entry), MAX_SUMMARY),
        published=_when(entry),
        authors=authors,
    )


def _newest_first(item: Item) -> datetime:
    return item.published or datetime.min.replace(tzinfo=UTC)


def parse(data: bytes, spec: SourceSpec) -> list[Item]:
    """The items of an RSS or Atom document, newest first (undated last), one per URL: every
    item of a feed of up to 4 × max_items entries, else of its first and last 2 × max_items."""
    keep = 2 * max(spec.max_items, 1)
    # A file object, never a str or bytes: feedparser would fetch a URL or open a path.
    parsed = feedparser.parse(
        io.BytesIO(trim_entries(data, keep, keep)),
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    items: dict[str, Item] = {}
    for entry in parsed.get("entries") or []:
        item = _item(entry, spec)
        if item is not None and item.id not in items:
            items[item.id] = item
    version = parsed.get("version") or ""
    if not items:
        if looks_like_html(data) and not version.startswith(("rss", "atom")):
            raise SourceError(f"{spec.name}: got an HTML page instead of a feed")
        problem = parsed.get("bozo_exception")
        if isinstance(problem, SAXException):
            raise SourceError(
                f"{spec.name}: the feed is malformed XML with no entries ({str(problem)[:200]})"
            )
        if not version:
            raise SourceError(f"{spec.name}: the response is not an RSS or Atom feed")
    return sorted(items.values(), key=_newest_first, reverse=True)


def select(items: Sequence[Item], spec: SourceSpec, window: Window | None) -> list[Item]:
    """The newest spec.max_items; with a window, only those published in [start, end) (items
    with no date are kept: we can't tell they are old)."""
    if window is not None:
        start, end = window
        items = [i for i in items if i.published is None or start <= i.published < end]
    return sorted(items, key=_newest_first, reverse=True)[: spec.max_items]


def collect(fetch: Fetch) -> list[Item]:
    """Fetch and parse the feed; the day is unused (a feed is "now"), the window does the
    dating."""
    return select(parse(fetch.body(), fetch.spec), fetch.spec, fetch.window)
