"""What one published day contributes to search: every item it stores that is about AI, and
each section's summary in every language. The items its sections cite are indexed with their
text; the others (past a section's cap, in Others) with what the day stores of them, their
title (items.jsonl: core/item_list.py), since a reader may look for any of them: a hit links to
the item itself and to its day. Items judged not about AI are left out, as the digest leaves
them out.

A document is numbered within its day (items first, in the day's order, then the sections of
each language); `doc_id` packs the date and that number into 32 bits, so a posting needs no
table to say which day it belongs to and a day's postings are found by arithmetic:

    doc_id = (date.toordinal() - EPOCH) << 12 | n        n < 4096 documents a day

A document's `tag` (16 bits) lets a query filter without reading documents: bit 0 the kind
(papers), bit 1 a section (not an item), bit 2 English (sections), bits 3–15 a hash of the
category id (a filter checks the real category on the few documents it shows).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache

from core.digest import Digest
from core.item_list import ItemRow
from core.items import Item
from core.taxonomy import NOT_AI, OTHERS

EPOCH = date(2000, 1, 1).toordinal()
_CITE = re.compile(r"\s*\[\d{1,3}\]")
_DASH = re.compile(r"^- ", re.MULTILINE)
DAY_SHIFT = 12
MAX_DOCS = 1 << DAY_SHIFT
TEXT_CAP = 800  # characters of a document kept for its snippet (all of it is indexed)


@dataclass(frozen=True)
class Doc:
    n: int
    title: str
    text: str
    kind: str  # news | papers
    category: str  # category id
    lang: str  # a section's language; "" for an item (written in its own language)
    url: str = ""  # an item's link (a section's page is made from date, kind, category)
    source: str = ""  # an item's source name
    name: str = ""  # the category's display name

    @property
    def is_section(self) -> bool:
        return self.lang != ""

    def stored(self) -> dict[str, object]:
        """The JSON kept for showing a hit."""
        out = asdict(self)
        out["text"] = self.text[:TEXT_CAP]
        return out


def day_code(day: str | date) -> int:
    d = day if isinstance(day, date) else date.fromisoformat(day)
    return d.toordinal() - EPOCH


def doc_id(day: str | date, n: int) -> int:
    if not 0 <= n < MAX_DOCS:
        raise ValueError(f"document number {n} out of range (at most {MAX_DOCS} a day)")
    return day_code(day) << DAY_SHIFT | n


@lru_cache(maxsize=1024)
def date_of(code: int) -> str:
    """The date of a day code (doc_id >> DAY_SHIFT); asked for every hit of every query."""
    return date.fromordinal(code + EPOCH).isoformat()


def category_hash(category: str) -> int:
    return zlib.crc32(category.encode()) & 0x1FFF


def tag(kind: str, category: str, lang: str) -> int:
    return (
        (kind == "papers")
        | (bool(lang) << 1)
        | ((lang == "en") << 2)
        | (category_hash(category) << 3)
    )


def documents(
    items: Sequence[Item],
    labels: Mapping[str, str],
    digests: Iterable[Digest],
    rows: Iterable[ItemRow] = (),
) -> list[Doc]:
    """The documents of a day: every item its sections cite (title and text, from `items`),
    every other item of `rows` about AI (its title), and every section in every language (its
    summary parts; its sources are items of their own)."""
    out: list[Doc] = []
    names: dict[tuple[str, str], str] = {}
    digests = list(digests)
    for d in digests:
        for kind, kd in d.kinds.items():
            names.update({(kind, c): n for c, n in kd.names.items()})
    cited = {r.item_id for d in digests for s in d.sections for r in s.sources}
    shown = {i.id: i for i in items if i.id in cited}
    for item in shown.values():
        cat = labels.get(item.id, OTHERS)
        out.append(
            Doc(
                n=len(out),
                title=item.title,
                text=item.summary,
                kind=item.kind,
                category=cat,
                lang="",
                url=item.url,
                source=item.source,
                name=names.get((item.kind, cat), cat),
            )
        )
    shown_rows = {i.arxiv_id or i.id for i in shown.values()}
    for r in rows:
        if r.category is None or r.category == NOT_AI or r.id in shown_rows:
            continue  # not about AI, or indexed above with its text
        out.append(
            Doc(
                n=len(out),
                title=r.title,
                text="",
                kind=r.kind,
                category=r.category,
                lang="",
                url=r.url,
                source=r.source,
                name=names.get((r.kind, r.category), r.category),
            )
        )
    for d in digests:
        for s in d.sections:
            text = "\n".join(f"{p.heading}: {_plain(p.text)}" for p in s.parts)
            out.append(
                Doc(
                    n=len(out),
                    title=s.name,
                    text=text,
                    kind=s.kind,
                    category=s.category,
                    lang=d.lang,
                    name=s.name,
                )
            )
    if len(out) > MAX_DOCS:
        raise ValueError(f"{len(out)} search documents in one day; at most {MAX_DOCS}")
    return out


def _plain(text: str) -> str:
    """A summary part as prose: no emphasis marks, list dashes or [n] citations."""
    text = _CITE.sub("", text.replace("**", "").replace("`", ""))
    return _DASH.sub("· ", text)


__all__ = ["DAY_SHIFT", "MAX_DOCS", "Doc", "date_of", "day_code", "doc_id", "documents", "tag"]
