"""Merge one day's items from every source: dedup, "hot" score, ranking.

Two items are one when they share an arXiv id, a canonical URL, or a near-identical title (same
kind only: a news story about a paper stays news). The survivor keeps the richest record (the
arXiv entry's abstract and categories) and adds up the others' signals (HF upvotes, HN points).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import datetime

from core.items import Item
from core.urls import canonical_url

NEAR_DUPLICATE = 0.85  # Jaccard similarity of title words at which two titles are one story
_WORD = re.compile(r"[0-9a-z\uac00-\ud7a3]+")


def title_words(title: str) -> frozenset[str]:
    return frozenset(_WORD.findall(title.lower()))


def _richness(item: Item) -> tuple[int, int, int]:
    # Prefer records with arXiv categories, then the longer abstract, then any date.
    return (len(item.arxiv_categories) > 0, len(item.summary), item.published is not None)


def _combine(a: Item, b: Item) -> Item:
    keep, other = (a, b) if _richness(a) >= _richness(b) else (b, a)
    sources = [s for s in (*keep.also_in, other.source, *other.also_in) if s != keep.source]
    return keep.model_copy(
        update={
            "upvotes": max(keep.upvotes, other.upvotes),
            "points": max(keep.points, other.points),
            "comments": keep.comments + other.comments,
            "also_in": tuple(dict.fromkeys(sources)),
            "published": keep.published or other.published,
            "arxiv_id": keep.arxiv_id or other.arxiv_id,
        }
    )


def dedup(items: Iterable[Item]) -> list[Item]:
    """Items with duplicates folded together, in first-seen order."""
    out: list[Item] = []
    by_key: dict[str, int] = {}  # "kind|key" -> index in out
    by_word: dict[str, list[int]] = {}  # "kind|word" -> indices, to find near-duplicate titles
    words_of: list[frozenset[str]] = []
    for item in items:
        keys = [f"{item.kind}|url|{canonical_url(item.url)}", f"{item.kind}|id|{item.id}"]
        if item.arxiv_id:
            keys.append(f"{item.kind}|arxiv|{item.arxiv_id}")
        words = title_words(item.title)
        hit = next((by_key[k] for k in keys if k in by_key), None)
        if hit is None and len(words) >= 3:
            hit = _near_duplicate(item, words, by_word, words_of)
        if hit is None:
            hit = len(out)
            out.append(item)
            words_of.append(words)
        else:
            out[hit] = _combine(out[hit], item)
            words_of[hit] = words_of[hit] | words
        for k in keys:
            by_key.setdefault(k, hit)
        for w in words:
            if len(w) >= 4:
                by_word.setdefault(f"{item.kind}|{w}", []).append(hit)
    return out


def _near_duplicate(
    item: Item, words: frozenset[str], by_word: dict[str, list[int]], words_of: list[frozenset[str]]
) -> int | None:
    seen: set[int] = set()
    for w in words:
        for idx in by_word.get(f"{item.kind}|{w}", ()):
            if idx in seen:
                continue
            seen.add(idx)
            other = words_of[idx]
            if len(words & other) / len(words | other) >= NEAR_DUPLICATE:
                return idx
    return None


def hot_score(item: Item, now: datetime) -> float:
    """Community signal (HF upvotes, HN points, other sources carrying it) plus freshness."""
    score = 2.0 * math.log1p(item.upvotes) + 1.5 * math.log1p(item.points)
    score += 1.0 * len(item.also_in)
    if item.published is not None:
        age_hours = max(0.0, (now - item.published).total_seconds() / 3600)
        score += 2.0 * math.exp(-age_hours / 48)
    return round(score, 4)


def merge(items: Iterable[Item], now: datetime) -> list[Item]:
    """Deduplicated items, each with its hot score, hottest first; ties go to the newer item,
    then the title, so the order is stable."""
    merged = [i.model_copy(update={"hot": hot_score(i, now)}) for i in dedup(items)]
    return sorted(merged, key=lambda i: (-i.hot, -_timestamp(i), i.title.lower(), i.id))


def _timestamp(item: Item) -> float:
    return item.published.timestamp() if item.published else 0.0
