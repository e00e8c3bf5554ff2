"""A check that a section's summary is about its own sources (the seed's worst bug, DESIGN.md).

Citations must fall within 1..n, and the summary's content words must come mostly from the
section's own items rather than from anywhere else.
"""

from __future__ import annotations

import re

from core.digest import Section
from core.items import Item

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]{3,}")
_TEMPLATE = set(  # the offline summary's own words (core/extractive.py), in English
    """items here centre category today item drawing most attention this summary quotes sources
    their sentences wrote state measured results each source details votes top terms several
    them share signal carries first listed none states compared upvotes points hacker news
    carried geeknews arxiv hugging face daily papers openai google blog""".split()
)


def content_words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)} - _TEMPLATE


def grounding_problems(section: Section, items: dict[str, Item]) -> list[str]:
    problems: list[str] = []
    n = len(section.sources)
    bad = sorted(c for c in section.citations() if not 1 <= c <= n)
    if bad:
        problems.append(f"citations {bad} outside 1..{n}")
    if not section.citations():
        problems.append("no citation at all")
    own = set()
    for ref in section.sources:
        item = items[ref.item_id]
        own |= content_words(item.title + " " + item.summary)
    said = content_words(" ".join(p.text for p in section.parts))
    if said:
        foreign = said - own
        share = len(foreign) / len(said)
        if share > 0.2:
            problems.append(
                f"{share:.0%} of its words are not in its own sources: {sorted(foreign)[:8]}"
            )
    return problems
