"""Hacker News stories through the Algolia search API (`search_by_date`).

Algolia has no OR operator (algolia/hn-search#169): a query is all-words-required. So a
configured query of several "OR" terms is not sent; we ask for every story of the window over
min_points (a day has a few hundred at most) and keep those whose title or URL names a term.

A hit has a title and, for Ask/Show HN, the story's text; with `linked_pages` (the default)
each kept story's page is read too (core/sources/pages.py) so the item carries the page's
title and what it says.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from core.items import Item, url_item_id
from core.sources.feed import (
    MAX_SUMMARY,
    MAX_TITLE,
    clip,
    html_to_text,
    json_document,
    plain_text,
)
from core.sources.fetch import Fetch, Window
from core.sources.http import SourceError
from core.sources.pages import with_pages
from core.sources.spec import SourceSpec
from core.sources.watch import Deadline
from core.urls import canonical_url, http_url

HN_ITEM = "https://news.ycombinator.com/item?id="
MAX_HITS = 1000  # Algolia's ceiling for hitsPerPage


def terms(query: str) -> list[str]:
    """The alternatives of "AI OR LLM OR GPT" (a single term is the whole query)."""
    return [t.strip() for t in re.split(r"\s+OR\s+", query.strip()) if t.strip()]


def query_params(spec: SourceSpec, window: Window | None) -> dict[str, str | int]:
    filters = []
    if window is not None:
        start, end = (int(t.timestamp()) for t in window)
        filters += [f"created_at_i>={start}", f"created_at_i<{end}"]
    filters.append(f"points>={spec.min_points}")
    params: dict[str, str | int] = {"tags": "story", "numericFilters": ",".join(filters)}
    words = terms(spec.query)
    if len(words) == 1:
        params["query"] = words[0]
        params["hitsPerPage"] = min(max(spec.max_items, 1), MAX_HITS)
    else:
        params["hitsPerPage"] = MAX_HITS
    return params


def _matcher(spec: SourceSpec) -> re.Pattern[str] | None:
    words = terms(spec.query)
    if len(words) < 2:
        return None  # Algolia already matched the query
    # Whole words, plural allowed: "AI" must not match "Airbnb", "model" may match "models".
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})s?(?!\w)", re.IGNORECASE)


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _when(hit: dict[str, Any]) -> datetime | None:
    stamp = hit.get("created_at_i")
    if isinstance(stamp, int) and not isinstance(stamp, bool):
        return datetime.fromtimestamp(stamp, tz=UTC)
    try:
        return datetime.fromisoformat(str(hit["created_at"])) if hit.get("created_at") else None
    except ValueError:
        return None


def _item(hit: Any, spec: SourceSpec) -> Item | None:
    if not isinstance(hit, dict) or not str(hit.get("objectID") or "").isdigit():
        return None
    title = clip(plain_text(str(hit.get("title") or "")), MAX_TITLE)
    if not title:
        return None
    discussion = HN_ITEM + str(hit["objectID"])
    # Ask HN and friends (or a link with a newline or control character): the discussion.
    url = http_url(str(hit.get("url") or "")) or discussion
    return Item(
        id=url_item_id(canonical_url(url)),
        kind=spec.kind,
        title=title,
        url=url,
        source=spec.name,
        summary=clip(html_to_text(str(hit.get("story_text") or "")), MAX_SUMMARY),
        published=_when(hit),
        authors=(str(hit["author"]),) if hit.get("author") else (),
        points=_int(hit.get("points")),
        comments=_int(hit.get("num_comments")),
    )


def parse(data: bytes, spec: SourceSpec) -> list[Item]:
    """Matching stories over min_points, most points first, up to max_items."""
    doc = json_document(data, spec, "JSON search results")
    if not isinstance(doc, dict) or not isinstance(doc.get("hits"), list):
        raise SourceError(f"{spec.name}: the response has no list of hits")
    matcher = _matcher(spec)
    items: dict[str, Item] = {}
    for hit in doc["hits"]:
        item = _item(hit, spec)
        if item is None or item.points < spec.min_points:
            continue
        if matcher and not matcher.search(f"{item.title} {item.url}"):
            continue
        items.setdefault(item.id, item)
    return sorted(items.values(), key=lambda i: i.points, reverse=True)[: spec.max_items]


def collect(fetch: Fetch) -> list[Item]:
    """Stories created within the fetch's window (None: any time), with their pages' text; its
    day is unused."""
    spec = fetch.spec
    deadline = Deadline(spec.deadline)
    items = parse(fetch.body(query_params(spec, fetch.window), deadline), spec)
    if not spec.linked_pages:
        return items
    linked = [None if i.url.startswith(HN_ITEM) else i.url for i in items]
    return with_pages(fetch.client, items, linked, deadline, spec.allow_private)
