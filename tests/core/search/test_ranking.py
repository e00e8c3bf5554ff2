"""Ranking without I/O: the dense and the sorting sums agree, ties break the same way on every
page, and days outside retention are left out when the index still holds them (pure)."""

from __future__ import annotations

import numpy as np
import pytest

from core.search import ranking
from core.search.documents import doc_id
from core.search.postings import RECORD
from core.search.ranking import DaySet, Plan
from core.store.keys import Keys

DAYS = [f"2024-10-{d:02d}" for d in range(1, 31)]


def postings(rng: np.random.Generator, days: list[str], per_day: int) -> bytes:
    rows = []
    for d in days:
        numbers, weights = rng.choice(4000, per_day, replace=False), rng.random(per_day)
        rows += [(doc_id(d, int(n)), float(w), 0) for n, w in zip(numbers, weights, strict=True)]
    return np.array(rows, dtype=RECORD).tobytes()


def ranked(plan: Plan, blobs: dict[str, bytes], days: DaySet) -> list[int]:
    got = plan.rank([blobs.get(k) for k in plan.shard_keys(Keys(), days)], days)
    return got.ids


def test_dense_and_sorting_sums_rank_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(7)
    keys, days = Keys(), DaySet({d: 4000 for d in DAYS})
    blobs = {
        keys.search_postings("2024-10", "alpha"): postings(rng, DAYS, 900),
        keys.search_postings("2024-10", "beta"): postings(rng, DAYS, 500),
    }
    pages = {}
    for dense_from in (0, 10**9):  # never dense, always dense
        monkeypatch.setattr(ranking, "DENSE_FROM", dense_from)
        pages[dense_from] = [ranked(Plan("alpha beta", page=p), blobs, days) for p in (1, 2, 3)]
    assert pages[0] == pages[10**9]
    flat = [i for p in pages[0] for i in p]
    assert len(flat) == len(set(flat)) == 30


def test_ties_break_to_the_newer_day_on_every_page() -> None:
    keys = Keys()
    rows = [(doc_id(d, 1), 1.0, 0) for d in DAYS]  # the same score everywhere
    blobs = {keys.search_postings("2024-10", "same"): np.array(rows, dtype=RECORD).tobytes()}
    days = DaySet({d: 10 for d in DAYS})
    got = [i for p in (1, 2, 3) for i in ranked(Plan("same", page=p), blobs, days)]
    assert got == [doc_id(d, 1) for d in reversed(DAYS)]


def test_days_not_retained_are_left_out() -> None:
    keys = Keys()
    rows = [(doc_id(d, 1), 1.0, 0) for d in DAYS]
    blobs = {keys.search_postings("2024-10", "same"): np.array(rows, dtype=RECORD).tobytes()}
    kept = DaySet({d: 10 for d in DAYS[10:20]}, complete=False)
    got = ranked(Plan("same", per_page=50), blobs, kept)
    assert sorted(got) == sorted(doc_id(d, 1) for d in DAYS[10:20])
