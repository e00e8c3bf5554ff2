"""The offline classifier: arXiv category hints and keywords give every item exactly one category.

It is the whole classifier without an LLM, and the fallback for any item an LLM leaves out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from core.items import Item
from core.taxonomy import OTHERS, Category, Taxonomy

TITLE_WEIGHT = 3.0
SUMMARY_WEIGHT = 1.0
PRIMARY_ARXIV_WEIGHT = 2.5
CROSS_LIST_ARXIV_WEIGHT = 1.0
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


@lru_cache(maxsize=512)
def _pattern(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex per category. Latin keywords match whole words; Korean ones match inside words,
    since Korean attaches particles (규제를, 규제는)."""
    if not keywords:
        return None
    alts = []
    for kw in sorted(keywords, key=len, reverse=True):
        esc = re.escape(kw)
        # A plural "s" still matches: "language models" is "language model".
        alts.append(esc if _HANGUL.search(kw) else rf"(?<!\w){esc}(?:s|es)?(?![\w-])")
    return re.compile("|".join(alts), re.IGNORECASE)


def score(item: Item, category: Category) -> float:
    s = 0.0
    pat = _pattern(category.keywords)
    if pat is not None:
        s += TITLE_WEIGHT * len({m.lower() for m in pat.findall(item.title)})
        s += SUMMARY_WEIGHT * min(3, len({m.lower() for m in pat.findall(item.summary)}))
    if item.arxiv_categories:
        if item.arxiv_categories[0] in category.arxiv:
            s += PRIMARY_ARXIV_WEIGHT
        s += CROSS_LIST_ARXIV_WEIGHT * sum(c in category.arxiv for c in item.arxiv_categories[1:])
    return s


def classify_item(item: Item, taxonomy: Taxonomy) -> str:
    """The best-scoring category id; taxonomy order breaks ties; no signal at all is Others."""
    best, best_score = OTHERS, 0.0
    for cat in taxonomy.sections(item.kind):
        s = score(item, cat)
        if s > best_score:
            best, best_score = cat.id, s
    return best


def classify_offline(items: Iterable[Item], taxonomy: Taxonomy) -> dict[str, str]:
    """Item id -> category id, for every item."""
    return {item.id: classify_item(item, taxonomy) for item in items}
