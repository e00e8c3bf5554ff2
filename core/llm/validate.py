"""Is an LLM's section summary usable? Five non-empty parts, citations only of the section's own
sources (and most of them), in the requested language.

The language check measures letters of the prose only: citations, URLs, `code`, quoted spans and
the sources' titles are taken out first, since a Korean summary rightly quotes English titles.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

from core.headings import PART_KEYS
from core.plan import SectionInput

MIN_CITED_SHARE = 0.6  # of the section's sources, and at least one
MIN_HANGUL_SHARE = 0.5  # ko: Hangul letters / all letters of the prose
MIN_LATIN_SHARE = 0.8  # en: Latin letters / all letters of the prose
MIN_LETTERS = 20  # fewer letters of prose than this say nothing about the language

_GROUP = re.compile(r"\[(\d{1,3}(?:\s*[,;，]\s*\d{1,3})+)\]")  # [1, 2] -> [1][2]
_CITATION = re.compile(r"\[(\d{1,4})\]")
_URL = re.compile(r"https?://\S+")
_CODE = re.compile(r"`[^`\n]*`")
_QUOTED = re.compile(r"「[^」]{0,300}」|『[^』]{0,300}』|“[^”]{0,300}”|\"[^\"\n]{0,300}\"")


def normalise_citations(text: str) -> str:
    """One number per bracket, as the report and Section.citations() read them."""
    return _GROUP.sub(lambda m: "".join(f"[{n.strip()}]" for n in re.split(r"[,;，]", m[1])), text)


def citations(texts: Iterable[str]) -> set[int]:
    return {int(n) for t in texts for n in _CITATION.findall(t)}


def _is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f"


def _is_latin(ch: str) -> bool:
    return ch.isascii() or "\u00c0" <= ch <= "\u024f"


def prose(text: str, titles: Iterable[str] = ()) -> str:
    """`text` without what is legitimately in another language: titles, quotes, code, URLs."""
    for title in sorted({t.strip() for t in titles if t.strip()}, key=len, reverse=True):
        text = text.replace(title, " ")
    for pattern in (_URL, _CODE, _QUOTED, _CITATION):
        text = pattern.sub(" ", text)
    return text


def script_shares(text: str) -> tuple[float, float, int]:
    """(Hangul share, Latin share, letter count) of the letters in `text`."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0, 0.0, 0
    hangul = sum(1 for ch in letters if _is_hangul(ch))
    latin = sum(1 for ch in letters if _is_latin(ch))
    return hangul / len(letters), latin / len(letters), len(letters)


def language_problem(text: str, lang: str, titles: Iterable[str] = ()) -> str:
    """Why `text` is not written in `lang`, or "" (also for languages this cannot judge)."""
    hangul, latin, count = script_shares(prose(text, titles))
    if count < MIN_LETTERS:
        return ""
    if lang == "ko" and hangul < MIN_HANGUL_SHARE:
        return f"not written in Korean (Hangul is {hangul:.0%} of the letters, needs 50%+)"
    if lang == "en" and latin < MIN_LATIN_SHARE:
        return f"not written in English (Latin is {latin:.0%} of the letters, needs 80%+)"
    return ""


def summary_problem(answer: Mapping[str, object], inp: SectionInput) -> str:
    """Why `answer` (part key -> text) cannot be this section's summary, or "" when it can."""
    texts: dict[str, str] = {}
    for key in PART_KEYS:
        value = answer.get(key)
        if not isinstance(value, str) or not value.strip():
            return f"the part {key!r} is empty"
        texts[key] = normalise_citations(value)
    n = len(inp.items)
    cited = citations(texts.values())
    outside = sorted(c for c in cited if not 1 <= c <= n)
    if outside:
        shown = ", ".join(f"[{c}]" for c in outside[:5])
        return f"citations {shown} are outside the sources [1]..[{n}]"
    need = max(1, math.ceil(MIN_CITED_SHARE * n))
    if len(cited) < need:
        return f"only {len(cited)} of the {n} sources are cited; cite at least {need}"
    return language_problem("\n".join(texts.values()), inp.lang, (i.title for i in inp.items))
