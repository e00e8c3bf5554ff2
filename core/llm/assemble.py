"""The code's half of a grounded summary: the five parts, written from a validated `Draft`, with
every [n] mark placed by the code from the numbers each sentence rests on.

Parts are plain text (renderers escape them): sentences with [n] marks, and lines starting with
"- " for lists. The per-source part quotes each source's own title (from the data, never from
the model). A sentence already said in an earlier part is not said again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from core.digest import Section
from core.llm.summary_prompt import LIMITS
from core.llm.validate import Claim, Draft
from core.plan import SectionInput
from core.quoting import quote_title

_END = re.compile(r"[.!?。！？]+$")
_NORMAL = re.compile(r"[\W_]+")


def merge(drafts: Sequence[Draft]) -> Draft:
    """Chunks' drafts as one: every chunk's points; the parts' sentences taken in turns, one
    from each chunk, up to each part's limit (keywords with the same term joined)."""
    if len(drafts) == 1:
        return drafts[0]
    points = {n: s for d in drafts for n, s in d.points.items()}
    parts: dict[str, tuple[Claim, ...]] = {}
    for key, limit in LIMITS.items():
        lists = [list(getattr(d, key)) for d in drafts]
        taken: list[Claim] = []
        while any(lists) and len(taken) < limit:
            for claims in lists:
                if claims and len(taken) < limit:
                    taken.append(claims.pop(0))
        parts[key] = _join_terms(taken) if key == "keywords" else tuple(taken)
    return Draft(points, parts["themes"], parts["keywords"], parts["impact"], parts["conclusion"])


def _join_terms(claims: list[Claim]) -> tuple[Claim, ...]:
    by_term: dict[str, Claim] = {}
    for c in claims:
        key = c.term.casefold()
        if key in by_term:
            first = by_term[key]
            joined = tuple(sorted({*first.sources, *c.sources}))
            by_term[key] = Claim(first.sentence, joined, first.term)
        else:
            by_term[key] = c
    return tuple(by_term.values())


def marked(sentence: str, sources: Iterable[int]) -> str:
    """`sentence` with its [n] marks before its final punctuation: "…합니다 [1][3]."."""
    end = _END.search(sentence)
    body, stop = (sentence[: end.start()].rstrip(), end[0]) if end else (sentence.rstrip(), "")
    return f"{body} {''.join(f'[{n}]' for n in sorted(set(sources)))}{stop}"


class _Said:
    """Sentences already written, compared without case, spaces or punctuation."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def fresh(self, claims: Iterable[Claim]) -> list[Claim]:
        kept = []
        for c in claims:
            key = _NORMAL.sub("", c.sentence).casefold()
            if key not in self._seen:
                self._seen.add(key)
                kept.append(c)
        return kept


def part_texts(draft: Draft, inp: SectionInput) -> dict[str, str]:
    said = _Said()
    points = [Claim(draft.points[n], (n,)) for n in sorted(draft.points)]
    said.fresh(points)  # every source keeps its line; later parts must not repeat one
    texts = {
        "events": "\n".join(
            f"- {quote_title(inp.items[c.sources[0] - 1].title, inp.lang)}: "
            f"{marked(c.sentence, c.sources)}"
            for c in points
        )
    }
    themes = said.fresh(draft.themes) or list(draft.themes)
    texts["themes"] = " ".join(marked(c.sentence, c.sources) for c in themes)
    keywords = said.fresh(draft.keywords) or list(draft.keywords)
    texts["keywords"] = "\n".join(f"- {k.term}: {marked(k.sentence, k.sources)}" for k in keywords)
    impact = said.fresh(draft.impact) or list(draft.impact)
    lines = [marked(c.sentence, c.sources) for c in impact]
    texts["impact"] = lines[0] if len(lines) == 1 else "\n".join(f"- {x}" for x in lines)
    conclusion = said.fresh(draft.conclusion) or list(draft.conclusion)
    texts["conclusion"] = " ".join(marked(c.sentence, c.sources) for c in conclusion)
    return texts


def to_section(inp: SectionInput, draft: Draft) -> Section:
    """The section of a validated draft: parts in PART_KEYS order, headings in its language."""
    return inp.section(part_texts(draft, inp), "llm")
