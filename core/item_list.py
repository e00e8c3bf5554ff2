"""The day's full item list, `items.jsonl`: one line per item a digest took, in or out of a section.

Sections show the top items of each category; this list keeps every item of the day, so
coverage can be checked on it (every released item in exactly one day), and the web archive
and search can read it. Fields: `id` (the arXiv id for arXiv papers, else the item id),
`source`, `kind`, `category` (its category id) or `left_out` (why it is in no category, e.g.
"not-ai"), `title`, `url`, `published` (ISO 8601 or null), and `also_in` (other sources that
carried it the same day). Written beside report.md by the CLI and stored with the day in Redis.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict, ValidationError

from core.items import Item, Kind


class ItemRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    source: str
    kind: Kind
    category: str | None = None
    left_out: str | None = None
    title: str
    url: str
    published: str | None = None
    also_in: tuple[str, ...] = ()


def row(item: Item, category: str | None, left_out: str | None = None) -> ItemRow:
    return ItemRow(
        id=item.arxiv_id or item.id,
        source=item.source,
        kind=item.kind,
        category=None if left_out else category,
        left_out=left_out or (None if category else "unlabelled"),
        title=item.title,
        url=item.url,
        published=item.published.isoformat() if item.published else None,
        also_in=item.also_in,
    )


def rows(
    items: Iterable[Item],
    labels: Mapping[str, str],
    left_out: Mapping[str, str] | None = None,
) -> list[ItemRow]:
    """Every item once, news then papers, in the order given (the merge's ranking)."""
    out = [row(i, labels.get(i.id), (left_out or {}).get(i.id)) for i in items]
    return sorted(out, key=lambda r: r.kind != "news")  # stable: ranking kept within a kind


def dumps(listed: Iterable[ItemRow]) -> str:
    """JSON Lines, UTF-8 text as is (Korean titles stay readable)."""
    return "".join(
        json.dumps(r.model_dump(exclude_none=True), ensure_ascii=False) + "\n" for r in listed
    )


def loads(text: str, origin: str = "items.jsonl") -> list[ItemRow]:
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(ItemRow.model_validate_json(line))
        except ValidationError as e:
            raise ValueError(
                f"{origin}: line {n} is not an item row ({e.error_count()} errors)"
            ) from e
    return out
