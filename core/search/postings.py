"""Postings: which documents hold a term, and how much, packed 8 bytes each.

A shard value is a little-endian array of records (doc u32, weight f16, tag u16): `doc` the
document id (documents.doc_id), `weight` the document side of BM25 for the term, `tag` the
document's filter bits (documents.tag). Appending a day is appending bytes; taking a day out is
dropping the records whose `doc >> 12` is its day code.

Weights: a title counts three times; BM25 with k1 = 1.2, b = 0.75 and the average length of the
day's documents of the same sort (items, sections), so a long summary does not outweigh a title.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from core.search.documents import DAY_SHIFT, Doc, doc_id, tag
from core.search.tokens import tokens

RECORD = np.dtype([("doc", "<u4"), ("w", "<f2"), ("tag", "<u2")])
K1, B = 1.2, 0.75
TITLE_BOOST = 3

Postings = npt.NDArray[np.void]


def unpack(raw: bytes | None) -> Postings:
    if not raw:
        return np.empty(0, dtype=RECORD)
    usable = len(raw) - len(raw) % RECORD.itemsize  # a torn value never breaks a query
    arr: Postings = np.frombuffer(raw, dtype=RECORD, count=usable // RECORD.itemsize)
    return arr


def without_day(arr: Postings, code: int) -> Postings:
    kept: Postings = arr[(arr["doc"] >> DAY_SHIFT) != code]
    return kept


def build(day: str, docs: Sequence[Doc]) -> tuple[dict[str, bytes], float]:
    """Term -> packed postings of `day`'s documents, and their average (weighted) length."""
    counts: list[Counter[str]] = []
    for d in docs:
        c = Counter(tokens(d.text))
        for t in tokens(d.title):
            c[t] += TITLE_BOOST
        counts.append(c)
    lengths = [sum(c.values()) for c in counts]
    avg: dict[bool, float] = {}
    for sort in (False, True):
        mine = [n for d, n in zip(docs, lengths, strict=True) if d.is_section == sort]
        avg[sort] = max(1.0, sum(mine) / len(mine)) if mine else 1.0
    rows: dict[str, list[tuple[int, float, int]]] = defaultdict(list)
    for d, c, dl in zip(docs, counts, lengths, strict=True):
        norm = K1 * (1 - B + B * dl / avg[d.is_section])
        ident, bits = doc_id(day, d.n), tag(d.kind, d.category, d.lang)
        for term, tf in c.items():
            rows[term].append((ident, tf * (K1 + 1) / (tf + norm), bits))
    packed = {t: np.array(r, dtype=RECORD).tobytes() for t, r in rows.items()}
    overall = sum(lengths) / len(lengths) if lengths else 0.0
    return packed, overall


__all__ = ["RECORD", "Postings", "build", "unpack", "without_day"]
