"""The offline summariser: grounded by construction, written for a reader of the digest's language.

The connective text (themes, keywords, impact, conclusion) is written in the digest's language
from the data: counts, the sources that carried the items, the terms they share, and signals
(Hugging Face upvotes, Hacker News points, other sources carrying the same item). What the items
themselves say is quoted — visibly, briefly, without their own reference marks — and cited [n].
No sentence is said twice, and an item is called the most noticed only when a signal says so
(and which); otherwise it is the first listed.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

from core.digest import FallbackReason, Section
from core.items import Item
from core.plan import SectionInput
from core.quoting import quote_sentence, quote_title

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]{2,}|[\uac00-\ud7a3]{2,}")
# Sentence ends: punctuation, or a Korean summary's nominal endings ("…공개함 다음 문장").
_SENTENCE = re.compile(r"(?<=[.!?。])\s+|(?<=[가-힣]{2}[함됨음임])\s+(?=\S)|\n+")
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
    위한 위해 있는 없는 하는 통해 대한 있음 없음 가능 제공 지원 기반 사용 기능 필요한 필요
    공개 관련 경우 모든 이번 이제 현재 다양한 새로운 방식 방법 내용 결과 문제 수준 정도
    """.split()
)
SOURCE_NAMES = {  # the shipped sources' names as a reader knows them
    "arxiv": "arXiv",
    "hf-daily-papers": "Hugging Face Daily Papers",
    "hackernews": "Hacker News",
    "geeknews": "GeekNews",
    "openai-news": "OpenAI News",
    "google-ai-blog": "Google AI Blog",
}


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
    ranked = sorted(where, key=lambda g: (-len(where[g]), -weight[g], -(" " in g), g))
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


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if len(s.strip()) > 20]


def _cite(ns: list[int], most: int = 4) -> str:
    return "".join(f"[{n}]" for n in ns[:most])


def _term_list(terms: list[tuple[str, list[int]]]) -> str:
    return ", ".join(f"‘{t}’ {_cite(ns)}" for t, ns in terms)


def _themes(inp: SectionInput, terms: list[tuple[str, list[int]]]) -> str:
    ko, n = inp.lang == "ko", len(inp.items)
    by_source = Counter(SOURCE_NAMES.get(i.source, i.source) for i in inp.items)
    origin = ", ".join(f"{name} {k}{'건' if ko else ''}" for name, k in by_source.most_common())
    shared = [(t, ns) for t, ns in terms if len(ns) > 1][:3]
    if ko:
        out = f"{inp.name} 분야의 오늘 {inp.total}건 가운데 상위 {n}건을 모았습니다({origin})."
        if shared:
            out += f" 여러 항목에 함께 나오는 말은 {_term_list(shared)}입니다."
        return out
    out = f"The top {n} of today's {inp.total} {inp.name} items ({origin})."
    if shared:
        out += f" Terms several of them share: {_term_list(shared)}."
    return out


def _keywords(inp: SectionInput, terms: list[tuple[str, list[int]]]) -> str:
    ko, n = inp.lang == "ko", len(inp.items)
    if not terms:
        terms = [(inp.name, list(range(1, n + 1)))]
    if ko:
        return "\n".join(f"- ‘{t}’: {n}건 중 {len(ns)}건에 나옴 {_cite(ns)}" for t, ns in terms)
    return "\n".join(f"- ‘{t}’: in {len(ns)} of {n} items {_cite(ns)}" for t, ns in terms)


def _signals(item: Item, ko: bool) -> str:
    said = []
    if item.upvotes:
        said.append(f"추천 {item.upvotes}개" if ko else f"{item.upvotes} upvotes")
    if item.points:
        said.append(f"Hacker News {item.points}점" if ko else f"{item.points} Hacker News points")
    if item.also_in:
        others = len(item.also_in) + 1
        said.append(f"{others}개 출처에 실림" if ko else f"carried by {others} sources")
    return ", ".join(said)


def _events(inp: SectionInput, quoted: set[str]) -> str:
    lines = []
    for n, item in enumerate(inp.items, start=1):
        first = next(iter(sentences(item.summary)), "")
        line = f"- {quote_title(item.title, inp.lang)}"
        if first:
            quoted.add(first)
            line += f": {quote_sentence(first)}"
        lines.append(f"{line} [{n}]")
    return "\n".join(lines)


def _impact(inp: SectionInput, quoted: set[str]) -> str:
    ko, stating, fresh = inp.lang == "ko", [], []
    for n, item in enumerate(inp.items, start=1):
        hits = [s for s in sentences(item.summary) if _IMPACT.search(s)]
        if hits:
            stating.append(n)
            unsaid = [s for s in hits if s not in quoted]
            if unsaid:
                quoted.add(unsaid[0])
                fresh.append((n, unsaid[0]))
    if not stating:
        if ko:
            return f"{len(inp.items)}건 모두 성과를 수치나 비교로 밝히지 않았습니다."
        return f"None of the {len(inp.items)} items states a measured result."
    cited = _cite(stating, most=8)
    head = (
        f"{len(stating)}건이 성과를 수치나 비교로 밝힙니다 {cited}."
        if ko
        else f"{len(stating)} of the {len(inp.items)} items state measured or compared "
        f"results {cited}."
    )
    return "\n".join([head, *(f"- {quote_sentence(s)} [{n}]" for n, s in fresh[:3])])


def _conclusion(inp: SectionInput) -> str:
    ko = inp.lang == "ko"
    n, top = max(
        enumerate(inp.items, start=1),
        key=lambda p: (p[1].upvotes + p[1].points, len(p[1].also_in), -p[0]),
    )
    signal = _signals(top, ko)
    title = quote_title(top.title, inp.lang)
    if not signal:
        n, title = 1, quote_title(inp.items[0].title, inp.lang)
        lead = (
            f"추천·점수 같은 관심 지표가 없어, 처음 소개된 {title}부터 보면 됩니다 [1]."
            if ko
            else f"No item carries a signal of attention; the first listed is {title} [1]."
        )
    else:
        lead = (
            f"가장 주목받은 항목은 {title}입니다({signal}) [{n}]."
            if ko
            else f"The item drawing the most attention is {title} ({signal}) [{n}]."
        )
    tail = (
        "이 요약은 LLM 없이 원문 문장을 발췌해 만든 것입니다."
        if ko
        else "This summary quotes the sources' own sentences; no LLM wrote it."
    )
    return f"{lead} {tail}"


def summarise_offline(inp: SectionInput, note: str = "", reason: FallbackReason = "") -> Section:
    """The offline summary; with a `note` (and a `reason`, default "failed"), as the fallback
    for an LLM summary that could not be had."""
    terms = key_terms(inp.items) if inp.items else []
    quoted: set[str] = set()
    texts = {"themes": _themes(inp, terms), "keywords": _keywords(inp, terms)}
    if inp.items:
        texts["events"] = _events(inp, quoted)
        texts["impact"] = _impact(inp, quoted)
        texts["conclusion"] = _conclusion(inp)
    else:
        empty = "항목이 없습니다." if inp.lang == "ko" else "No items."
        texts.update(events=empty, impact=empty, conclusion=empty)
    if not note:
        return inp.section(texts, "offline")
    return inp.section(texts, "offline-fallback", note=note, fallback=reason or "failed")
