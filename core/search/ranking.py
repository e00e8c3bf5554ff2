"""One query's way through the index, without I/O: which shards to read, how to rank what they
hold, which documents to fetch, and the page of hits. The readers (index_reader.py) do the I/O.

Ranking is BM25 over every retained day: the document side is in the postings, the query side
(idf) comes from how many retained documents hold each term, and a document's score is then
multiplied by the share of the query's terms it holds, so a hit on every word of a query (or
every bigram of a Korean word) comes before a hit on one. Ties go to the newer day.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import orjson

from core.search.documents import DAY_SHIFT, MAX_DOCS, category_hash, date_of, day_code
from core.search.postings import Postings, unpack
from core.search.snippet import Segments, snippet
from core.search.tokens import query_terms
from core.store.keys import Keys

MAX_QUERY_CHARS = 200
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Slots = npt.NDArray[np.int32]  # kept postings are 10 bytes each: a year's are ~100 MB
Weights = npt.NDArray[np.float32]  # stored as float16 (postings.RECORD): nothing lost
MAX_PAGE = 50


@dataclass(frozen=True)
class Filters:
    kind: str | None = None  # news | papers
    category: str | None = None  # a category id
    lang: str | None = None  # sections in this language only (items always)


NO_FILTERS = Filters()


@dataclass(frozen=True)
class Hit:
    date: str
    kind: str
    category: str
    name: str  # the category's display name
    title: str
    url: str  # an item's own link; "" for a section
    source: str
    lang: str  # a section's language, "" for an item
    score: float
    snippet: Segments

    @property
    def is_section(self) -> bool:
        return self.lang != ""


@dataclass(frozen=True)
class SearchPage:
    query: str
    terms: list[str]
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 10

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


class DaySet:
    """The retained days as a query needs them, made once per change of the index. `complete`:
    every indexed day is retained (the usual case: the indexer takes expired days out of the
    shards).

    Every retained document has a slot, 0 … documents-1, day after day: a query sums its terms'
    scores in an array of that size (a year is ~50,000 documents), where document ids, spread
    over 4,096 numbers a day, would need 1.5 million."""

    def __init__(self, days: Mapping[str, int], complete: bool = True) -> None:
        self.days = dict(days)  # date -> documents
        self.complete = complete
        self.months = sorted({d[:7] for d in days})
        by_code = sorted((day_code(d), n) for d, n in days.items())
        self.codes = np.array([c for c, _ in by_code], dtype=np.int64)
        self.documents = max(1, sum(days.values()))
        lo = int(self.codes[0]) if by_code else 0
        span = int(self.codes[-1]) - lo + 1 if by_code else 0
        self.first_slot = np.full(span, -1, dtype=np.int64)  # by day code - lo; -1: not retained
        self.day_docs = np.zeros(span, dtype=np.int64)
        ids = []
        start = 0
        for code, n in by_code:
            self.first_slot[code - lo], self.day_docs[code - lo] = start, n
            ids.append((code << DAY_SHIFT) + np.arange(n, dtype=np.int64))
            start += n
        self.ids: Ints = np.concatenate(ids) if ids else np.empty(0, dtype=np.int64)  # by slot


@dataclass(frozen=True)
class Ranked:
    ids: list[int]  # the page's document ids, best first
    scores: list[float]
    total: int


class Plan:
    def __init__(
        self, text: str, filters: Filters = NO_FILTERS, page: int = 1, per_page: int = 10
    ) -> None:
        self.text = " ".join(text[:MAX_QUERY_CHARS].split())
        self.terms = query_terms(self.text)
        self.filters = filters
        self.per_page = max(1, min(per_page, 50))
        self.page = max(1, min(page, MAX_PAGE))

    def empty(self) -> SearchPage:
        return SearchPage(self.text, self.terms, [], 0, self.page, self.per_page)

    def shard_keys(self, keys: Keys, days: DaySet, terms: Sequence[str] | None = None) -> list[str]:
        """Term-major: every month of the first term, then of the second, … (`terms`: only
        these of the query's, e.g. the ones a reader does not hold decoded already)."""
        return [keys.search_postings(m, t) for t in (terms or self.terms) for m in days.months]

    def rank(self, blobs: Sequence[bytes | None], days: DaySet) -> Ranked:
        """`blobs` as read for `shard_keys(days)`."""
        return self.rank_terms(term_postings(blobs, days, len(self.terms)), days)

    def rank_terms(self, postings: Sequence[TermPostings], days: DaySet) -> Ranked:
        """`postings`: each of the query's terms' (term_postings), in the order of `terms`."""
        n_docs = days.documents
        slots: list[Slots] = []
        scores: list[Weights] = []
        for term in postings:
            df = len(term.slot)
            if not df:
                continue
            idf = math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
            keep = self._mask(term.tag)
            slots.append(term.slot if keep is None else term.slot[keep])
            scores.append((term.w if keep is None else term.w[keep]) * idf)
        if not slots:
            return Ranked([], [], 0)
        found, total = _sum_by_slot(np.concatenate(slots), np.concatenate(scores), len(days.ids))
        if not len(found):
            return Ranked([], [], 0)
        docs = days.ids[found]
        total *= 1.0 / len(self.terms)
        start = (self.page - 1) * self.per_page
        order = _top(docs, total, start + self.per_page)
        picked = order[start : start + self.per_page]
        return Ranked([int(x) for x in docs[picked]], [float(x) for x in total[picked]], len(docs))

    def _mask(self, tags: npt.NDArray[np.uint16]) -> npt.NDArray[np.bool_] | None:
        """The postings the filters keep; None: all of them."""
        f = self.filters
        if f == NO_FILTERS:
            return None
        keep = np.ones(len(tags), dtype=bool)
        if f.kind is not None:
            keep &= (tags & 1) == (f.kind == "papers")
        if f.category is not None:
            keep &= (tags >> 3) == category_hash(f.category)
        if f.lang is not None:
            keep &= ((tags & 2) == 0) | (((tags >> 2) & 1) == (f.lang == "en"))
        return keep

    @staticmethod
    def doc_fields(ranked: Ranked) -> dict[str, list[str]]:
        """Date -> the document numbers to fetch from that day's hash."""
        out: dict[str, list[str]] = {}
        for ident in ranked.ids:
            out.setdefault(date_of(ident >> DAY_SHIFT), []).append(str(ident % MAX_DOCS))
        return out

    def result(self, ranked: Ranked, docs: Mapping[str, Sequence[bytes | None]]) -> SearchPage:
        """The page of hits, from `docs` (date -> values in `doc_fields` order)."""
        found: dict[int, Mapping[str, object]] = {}
        for day, fields in self.doc_fields(ranked).items():
            for n, raw in zip(fields, docs.get(day, []), strict=False):
                if raw is not None:
                    found[day_code(day) << DAY_SHIFT | int(n)] = orjson.loads(raw)
        hits = []
        terms = set(self.terms)
        for ident, score in zip(ranked.ids, ranked.scores, strict=True):
            d = found.get(ident)
            if d is None:
                continue  # the day was replaced between two reads: its next query finds it
            if self.filters.category is not None and d["category"] != self.filters.category:
                continue  # a hash collision of the tag bits
            hits.append(
                Hit(
                    date=date_of(ident >> DAY_SHIFT),
                    kind=str(d["kind"]),
                    category=str(d["category"]),
                    name=str(d["name"]),
                    title=str(d["title"]),
                    url=str(d["url"]),
                    source=str(d["source"]),
                    lang=str(d["lang"]),
                    score=round(score, 4),
                    snippet=snippet(str(d["text"]), terms),
                )
            )
        return SearchPage(self.text, self.terms, hits, ranked.total, self.page, self.per_page)


@dataclass(frozen=True)
class TermPostings:
    """One term's postings over the retained days, decoded for ranking: what a reader keeps in
    memory between queries (index_reader.py), so a term is read from Redis once per index
    generation rather than once per query."""

    slot: Slots  # the documents' slots in the DaySet it was made for
    w: Weights  # the document side of BM25
    tag: npt.NDArray[np.uint16]

    @property
    def nbytes(self) -> int:
        return int(self.slot.nbytes + self.w.nbytes + self.tag.nbytes)

    @classmethod
    def none(cls) -> TermPostings:
        """A word no document holds."""
        return cls(np.empty(0, np.int32), np.empty(0, np.float32), np.empty(0, np.uint16))


def term_postings(blobs: Sequence[bytes | None], days: DaySet, terms: int) -> list[TermPostings]:
    """`blobs` as read for `shard_keys(days, terms)` (of `terms` terms), a TermPostings each."""
    months, lo, span = len(days.months), int(days.codes[0]), len(days.first_slot)
    out = []
    for i in range(terms):
        arr = _concat([unpack(b) for b in blobs[i * months : (i + 1) * months]])
        doc = arr["doc"].astype(np.int64)
        day = (doc >> DAY_SHIFT) - lo
        inside = (day >= 0) & (day < span)
        day = np.where(inside, day, 0)
        n = doc & (MAX_DOCS - 1)
        first = days.first_slot[day]
        keep = inside & (first >= 0) & (n < days.day_docs[day])  # retained, and numbered so
        if not keep.all():
            arr, first, n = arr[keep], first[keep], n[keep]
        slot = (first + n).astype(np.int32)
        out.append(TermPostings(slot, arr["w"].astype(np.float32), arr["tag"].copy()))
    return out


DENSE_FROM = 8  # a query's postings times this above the slots: summing in an array beats sorting


def _sum_by_slot(slot: Slots, w: Weights, slots: int) -> tuple[Ints, Floats]:
    """Each document's summed score times how many of the terms it holds (not yet divided by
    their number), for the distinct slots, in slot order."""
    if len(slot) * DENSE_FROM < slots:
        uniq, inv = np.unique(slot, return_inverse=True)
        total: Floats = np.bincount(inv, weights=w).astype(np.float64)
        return uniq.astype(np.int64), total * np.bincount(inv)
    sums = np.bincount(slot, weights=w, minlength=slots)
    counts = np.bincount(slot, minlength=slots)
    found = np.flatnonzero(counts).astype(np.int64)
    summed: Floats = (sums[found] * counts[found]).astype(np.float64)
    return found, summed


def _top(docs: Ints, score: Floats, k: int) -> Ints:
    """Indexes of the best `k` (every document tied with the k-th too), best first, ties to the
    newer document: the same order for every page of a query."""
    if len(score) > k > 0:
        kth = np.partition(score, len(score) - k)[len(score) - k]
        keep = np.flatnonzero(score >= kth)
    else:
        keep = np.arange(len(score))
    order: Ints = keep[np.lexsort((-docs[keep], -score[keep]))]
    return order


def _concat(arrays: list[Postings]) -> Postings:
    arrays = [a for a in arrays if len(a)]
    if not arrays:
        return unpack(None)
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)


__all__ = [
    "NO_FILTERS",
    "DaySet",
    "Filters",
    "Hit",
    "Plan",
    "Ranked",
    "SearchPage",
    "TermPostings",
    "term_postings",
]
