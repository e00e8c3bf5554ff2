"""The offline summariser: extractive, so it is grounded by construction.

Each of the five parts is built only from the section's own items (titles, sentences of their
abstracts or descriptions) and cites them as [n], the same way the LLM path must.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

from core.digest import Section, SummaryPart
from core.headings import PART_KEYS, headings
from core.items import Item
from core.plan import SectionInput

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]{2,}|[\uac00-\ud7a3]{2,}")
_SENTENCE = re.compile(r"(?<=[.!?。])\s+|\n+")
_IMPACT = re.compile(
    r"outperform|state-of-the-art|sota|improv|achiev|reduc|faster|speed-?up|accura|"
    r"surpass|enabl|significant|\d+(\.\d+)?\s?%|\d+(\.\d+)?x|향상|개선|성능|절감|증가|감소",
    re.IGNORECASE,
)
_KO_PARTICLES = tuple("에서 으로 에게 까지 부터 은 는 이 가 을 를 의 에 와 과 도 로".split())
STOPWORDS = frozenset(
    """
    the and for with from this that these those into over under using use used via are was
    were has have had been being its our their new novel approach method methods based model
    models paper propose proposed show shows results result however while which where when
    what can also such than then both each more most other into across between through
    without within large towards toward study work framework task tasks data performance
    learning existing further two one three first not only many well may how why who via
    upon per among make makes made them they you your will would could should via via-based
    about after before during here there more less all any including include includes
    provide provides present presents introduce introduces demonstrate demonstrates
    experiments experimental extensive evaluate evaluation significantly effective
    effectively efficient approaches address challenges challenge problem problems various
    different key significant several recent recently available code https http www com org
    html often potential application applications remain remains like highly achieve
    achieves achieved often widely due still even specific particular given high low enhance
    enhancing improve improves improved improving leverage leveraging leverages yet
    """.split()
)


def _terms(text: str) -> list[str]:
    out = []
    for w in _WORD.findall(text):
        lw = w.lower()
        if lw[0] >= "\uac00":  # Hangul: drop a trailing particle so 규제를 and 규제는 count as one
            for p in _KO_PARTICLES:
                if lw.endswith(p) and len(lw) > len(p) + 1:
                    lw = lw[: -len(p)]
                    break
        if lw not in STOPWORDS:
            out.append(lw)
    return out


def key_terms(items: tuple[Item, ...], limit: int = 5) -> list[tuple[str, list[int]]]:
    """Terms (words and two-word phrases) shared by most items, with the numbers citing them."""
    where: dict[str, set[int]] = {}
    weight: Counter[str] = Counter()
    for n, item in enumerate(items, start=1):
        words = _terms(item.title) + _terms(item.summary)
        grams = set(words) | {f"{a} {b}" for a, b in itertools.pairwise(words)}
        for g in grams:
            where.setdefault(g, set()).add(n)
        for g in set(_terms(item.title)):
            weight[g] += 1  # words in titles matter more
    ranked = sorted(
        where,
        key=lambda g: (-len(where[g]), -weight[g], -(" " in g), g),
    )
    chosen: list[tuple[str, list[int]]] = []
    for g in ranked:
        if len(chosen) >= limit:
            break
        if len(items) > 1 and len(where[g]) < 2 and chosen:
            break  # past the shared terms: single-item words say nothing about the section
        if any(g in c or c in g for c, _ in chosen):
            continue
        chosen.append((g, sorted(where[g])))
    return chosen


def _cite(ns: list[int], most: int = 4) -> str:
    return "".join(f"[{n}]" for n in ns[:most])


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if len(s.strip()) > 20]


def _clip(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _themes(inp: SectionInput, terms: list[tuple[str, list[int]]]) -> str:
    n = len(inp.items)
    listed = ", ".join(f"{t} {_cite(ns)}" for t, ns in terms[:3]) or inp.name
    if inp.lang == "ko":
        return (
            f"이 섹션의 {n}개 항목(이 카테고리 전체 {inp.total}건)은 주로 {listed}을(를) 다룹니다."
        )
    return f"The {n} items here (of {inp.total} in this category today) centre on {listed}."


def _keywords(inp: SectionInput, terms: list[tuple[str, list[int]]]) -> str:
    unit = "건" if inp.lang == "ko" else " items"
    lines = [f"- `{t}` — {len(ns)}{unit} {_cite(ns)}" for t, ns in terms]
    if not lines:
        lines = [
            f"- `{inp.name}` — {len(inp.items)}{unit} {_cite(list(range(1, len(inp.items) + 1)))}"
        ]
    return "\n".join(lines)


def _events(inp: SectionInput) -> str:
    lines = []
    for n, item in enumerate(inp.items, start=1):
        first = next(iter(sentences(item.summary)), "")
        detail = f": {_clip(first)}" if first else ""
        lines.append(f"- **{_clip(item.title, 160)}**{detail} [{n}]")
    return "\n".join(lines)


def _impact(inp: SectionInput) -> str:
    found: list[str] = []
    for n, item in enumerate(inp.items, start=1):
        hit = next((s for s in sentences(item.summary) if _IMPACT.search(s)), None)
        if hit:
            found.append(f"- {_clip(hit)} [{n}]")
        if len(found) == 3:
            break
    if found:
        return "\n".join(found)
    if inp.lang == "ko":
        return (
            "원문에 구체적인 성과 수치는 없습니다. "
            f"자세한 내용은 각 출처를 참고하세요 {_cite([1])}."
        )
    return f"The sources state no measured results; see each source for details {_cite([1])}."


def _conclusion(inp: SectionInput) -> str:
    top_n, top = max(
        enumerate(inp.items, start=1), key=lambda p: (p[1].upvotes + p[1].points, -p[0])
    )
    signal = ""
    if top.upvotes or top.points:
        if inp.lang == "ko":
            signal = f" (추천 {top.upvotes + top.points}개)"
        else:
            signal = f" ({top.upvotes + top.points} votes)"
    title = _clip(top.title, 160)
    if inp.lang == "ko":
        return (
            f"가장 주목받은 항목은 「{title}」입니다{signal} [{top_n}]. "
            "이 요약은 LLM 없이 원문 문장을 발췌해 만든 것입니다."
        )
    return (
        f"The item drawing the most attention is “{title}”{signal} [{top_n}]. "
        "This summary quotes the sources' own sentences; no LLM wrote it."
    )


def summarise_offline(inp: SectionInput, note: str = "") -> Section:
    terms = key_terms(inp.items)
    texts = {
        "themes": _themes(inp, terms),
        "keywords": _keywords(inp, terms),
        "events": _events(inp),
        "impact": _impact(inp),
        "conclusion": _conclusion(inp),
    }
    h = headings(inp.lang)
    return Section(
        date=inp.date,
        lang=inp.lang,
        kind=inp.kind,
        category=inp.category,
        name=inp.name,
        parts=[SummaryPart(key=k, heading=h[k], text=texts[k]) for k in PART_KEYS],
        sources=inp.sources(),
        total=inp.total,
        mode="offline-fallback" if note else "offline",
        note=note,
    )
