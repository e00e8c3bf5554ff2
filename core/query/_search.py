"""`/aidigest search WORDS [news|papers] [CATEGORY]`: words to find in every published day,
optionally narrowed to a kind and a category named by the last words (an id or alias such as
`llm`, `cv`, `nlp`; exactly, so a search word is never taken for a category by its prefix)."""

from __future__ import annotations

from collections.abc import Sequence

from core.items import Kind
from core.query._types import QueryError, SearchQuery
from core.query._words import KIND_WORDS
from core.taxonomy import Taxonomy

MAX_WORDS_CHARS = 200
EXAMPLE = "`/aidigest search diffusion models papers`"


def parse_search(words: Sequence[str], tx: Taxonomy) -> SearchQuery | QueryError:
    rest = list(words)
    kind: Kind | None = None
    category: str | None = None
    for _ in range(2):  # the last two words may be a kind and a category, in either order
        if len(rest) < 2:
            break
        last = rest[-1].lower()
        if kind is None and last in KIND_WORDS:
            kind = KIND_WORDS[last]
            rest.pop()
        elif category is None and (found := _exact(tx, last, kind)) is not None:
            category = found
            rest.pop()
    text = " ".join(rest).strip()
    if not text or all(w.lower() in KIND_WORDS for w in rest):
        return QueryError(f"Search for what? Add words to find. Try: {EXAMPLE}")
    if len(text) > MAX_WORDS_CHARS:
        return QueryError(f"Search words are at most {MAX_WORDS_CHARS} characters. Try: {EXAMPLE}")
    if kind is not None and category is not None and category not in tx.ids(kind):
        kind = None  # "news cv": cv is a papers category; keep the category, drop the kind
    return SearchQuery(words=text, kind=kind, category=category)


def _exact(tx: Taxonomy, word: str, kind: Kind | None) -> str | None:
    kinds: Sequence[Kind] = (kind,) if kind else ("news", "papers")
    for k in kinds:
        for c in tx.sections(k):
            if word in (c.id.lower(), c.name.lower(), *(a.lower() for a in c.aliases)):
                return c.id
    return None
