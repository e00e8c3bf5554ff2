"""A few lines of a hit with the query's words marked, as plain segments for any renderer.

The result is a list of (text, marked) pairs; a renderer escapes each text and wraps the marked
ones (<mark> in HTML, bold in chat), so no markup is ever built from untrusted text here.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from functools import lru_cache

from core.search.tokens import CJK, normalise

Segments = list[tuple[str, bool]]


@lru_cache(maxsize=512)
def _pattern(terms: frozenset[str]) -> re.Pattern[str] | None:
    """The written forms of the query's tokens (tokens.py undone): a Hangul bigram as itself,
    a word with the plural endings the S-stemmer folds, whole words only. Finding these is
    much cheaper than tokenising every hit's text again."""
    forms: set[str] = set()
    for t in terms:
        if re.fullmatch(f"[{CJK}]+", t):
            forms.add(re.escape(t))
            continue
        variants = {t, t + "s"}
        if t.endswith("y"):
            variants.add(t[:-1] + "ies")
        forms.add(r"(?<![^\W_])(?:" + "|".join(map(re.escape, variants)) + r")(?![^\W_])")
    if not forms:
        return None
    return re.compile("|".join(sorted(forms, key=len, reverse=True)), re.IGNORECASE)


def snippet(text: str, terms: Collection[str], width: int = 220) -> Segments:
    """The `width`-character window of `text` with the most query tokens, marks on them."""
    text = " ".join(normalise(text).split())
    pattern = _pattern(frozenset(terms))
    hits = [m.span() for m in pattern.finditer(text)] if pattern else []
    if not hits:
        cut = text[:width]
        return [(cut + ("…" if len(text) > width else ""), False)] if cut else []
    best, best_n = 0, 0
    for i, (s, _) in enumerate(hits):  # the start with most hits ending inside the window
        n = sum(1 for _, e in hits[i:] if e <= s + width)
        if n > best_n:
            best, best_n = i, n
    start = max(0, hits[best][0] - width // 5)
    space = text.rfind(" ", 0, start)
    start = space + 1 if start and space >= 0 and start - space < 20 else start
    end = min(len(text), start + width)
    out: Segments = [("…", False)] if start else []
    pos = start
    for s, e in _merged(h for h in hits if h[0] >= start and h[1] <= end):
        if s > pos:
            out.append((text[pos:s], False))
        out.append((text[s:e], True))
        pos = e
    if pos < end:
        out.append((text[pos:end], False))
    if end < len(text):
        out.append(("…", False))
    return out


def _merged(marks: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping marks (Korean bigrams overlap) as one."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(marks):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


__all__ = ["Segments", "snippet"]
