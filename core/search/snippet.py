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


@lru_cache(maxsize=4096)
def _forms(term: str) -> tuple[tuple[str, bool], ...]:
    """The written forms of one query token (tokens.py undone), lower-case, each with whether
    it must stand as a whole word: a Hangul bigram as itself (inside any word), a word with the
    plural endings the S-stemmer folds."""
    if re.fullmatch(f"[{CJK}]+", term):
        return ((term, False),)
    variants = {term, term + "s"}
    if term.endswith("y"):
        variants.add(term[:-1] + "ies")
    return tuple((v, True) for v in sorted(variants))


def _marks(text: str, terms: Collection[str]) -> list[tuple[int, int]]:
    """Where the query's tokens are written in `text`, in order. Plain substring searches on
    the lower-cased text: much cheaper than tokenising every hit again, and than a regular
    expression compiled for every new query."""
    low = text.lower()
    if len(low) != len(text):  # a letter whose lower case is longer ("İ"): keep offsets true
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    out = []
    for term in terms:
        for form, whole in _forms(term):
            i = low.find(form)
            while i >= 0:
                e = i + len(form)
                if not whole or (
                    (i == 0 or not low[i - 1].isalnum()) and (e == len(low) or not low[e].isalnum())
                ):
                    out.append((i, e))
                i = low.find(form, i + 1)
    return sorted(out)


def snippet(text: str, terms: Collection[str], width: int = 220) -> Segments:
    """The `width`-character window of `text` with the most query tokens, marks on them."""
    text = " ".join(normalise(text).split())
    hits = _marks(text, terms)
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
