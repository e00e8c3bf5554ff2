"""Hugging Face Daily Papers (`/api/daily_papers?date=YYYY-MM-DD`), 2024 and 2026 schemas.

HF paper ids are arXiv ids, so items get `arxiv:<id>` and merge can unite them with arXiv's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.items import Item, arxiv_item_id
from core.sources.arxiv import ARXIV_ID
from core.sources.feed import json_document, plain_text
from core.sources.fetch import Fetch
from core.sources.http import SourceError
from core.sources.spec import SourceSpec

_JSON_NAMES: dict[type, str] = {
    dict: "object",
    int: "number",
    float: "number",
    str: "string",
    bool: "boolean",
    type(None): "null",
}


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _item(entry: Any, spec: SourceSpec) -> Item | None:
    paper = entry.get("paper") if isinstance(entry, dict) else None
    if not isinstance(paper, dict) or not str(paper.get("id") or "").strip():
        return None
    arxiv_id = str(paper["id"]).strip()
    if not ARXIV_ID.fullmatch(arxiv_id):  # it becomes part of the item's URL
        return None
    authors = [a.get("name") for a in paper.get("authors") or [] if isinstance(a, dict)]
    return Item(
        id=arxiv_item_id(arxiv_id),
        kind=spec.kind,
        title=plain_text(str(paper.get("title") or entry.get("title") or arxiv_id)),
        url=f"https://huggingface.co/papers/{arxiv_id}",
        source=spec.name,
        summary=plain_text(str(paper.get("summary") or entry.get("summary") or "")),
        published=_when(paper.get("publishedAt") or entry.get("publishedAt")),
        authors=tuple(plain_text(str(a)) for a in authors if a),
        arxiv_id=arxiv_id,
        upvotes=_count(paper.get("upvotes")),
        comments=_count(entry.get("numComments")),
    )


def parse(data: bytes, spec: SourceSpec) -> list[Item]:
    """The day's papers, most upvoted first (HF's own order breaks ties), up to max_items."""
    doc = json_document(data, spec, "JSON a list of papers")
    if isinstance(doc, dict) and "error" in doc:
        raise SourceError(f"{spec.name}: the API answered with an error: {str(doc['error'])[:200]}")
    if not isinstance(doc, list):
        got = _JSON_NAMES.get(type(doc), "value")
        raise SourceError(f"{spec.name}: expected a JSON list of papers, got a JSON {got}")
    items: dict[str, Item] = {}
    for entry in doc:
        item = _item(entry, spec)
        if item is not None:
            items.setdefault(item.id, item)
    ranked = sorted(items.values(), key=lambda i: i.upvotes, reverse=True)
    return ranked[: spec.max_items]


def collect(fetch: Fetch) -> list[Item]:
    """The papers HF listed on the fetch's day; its window is unused (HF dates by listing
    day)."""
    return parse(fetch.body({"date": fetch.day.isoformat()}), fetch.spec)
