"""Is an LLM's section summary answer usable? `read_draft` turns it into a `Draft` or says, in
one sentence, which rule it broke — the reason the one retry is given.

The rules: the answer's shape is the schema's (a wrong type is named as such); every source of
the ask has exactly one sentence; every theme, keyword, impact and conclusion sentence rests on
at least one source, and every number is one of the ask's; the text holds no URL, markdown link,
image, heading, HTML or @-mention (emphasis and list marks are merely removed); sentences are
short; the answer is in the digest's language, sentence by sentence too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from core.llm.language import NAMES, language_problem, sentence_in_language
from core.llm.summary_prompt import LIMITS

MAX_SENTENCE = 400  # characters: one sentence, not a paragraph
MAX_TERM = 60

_FORBIDDEN = (
    ("a URL", re.compile(r"(?i)\b(?:https?|ftp)://|\bwww\.[a-z0-9-]+\.|\b[a-z0-9-]+\.[a-z]{2,}/")),
    ("an image", re.compile(r"!\[")),
    ("a markdown link", re.compile(r"\[[^\]\n]*\]\([^)\n]*\)")),
    ("a heading", re.compile(r"(?m)^\s{0,3}#{1,6}(?:\s|$)")),
    ("HTML", re.compile(r"<\s*/?\s*[A-Za-z][^<>]*>|<!--")),
    ("an @-mention", re.compile(r"<[@#!][^<>]*>|(?<![\w.])@[A-Za-z0-9_][\w.-]*")),
)
_MARKS = re.compile(r"\[\s*(\d{1,4}(?:\s*[,;，~–-]\s*\d{1,4})*)\s*\]")
_EMPHASIS = re.compile(r"\*\*|__|`|~~")
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s+")
_NUMBER = re.compile(r"^\s*\[?\s*(\d{1,4})\s*\]?\s*$")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?。])")


class Rejected(ValueError):
    """The answer broke a rule; the message says which, for the retry."""


@dataclass(frozen=True)
class Claim:
    sentence: str
    sources: tuple[int, ...]
    term: str = ""  # keywords only


@dataclass(frozen=True)
class Draft:
    """A validated answer: plain sentences and the numbers they rest on."""

    points: dict[int, str]  # source number -> what it reports
    themes: tuple[Claim, ...]
    keywords: tuple[Claim, ...]
    impact: tuple[Claim, ...]
    conclusion: tuple[Claim, ...]


def summary_problem(
    answer: Mapping[str, object], numbers: Sequence[int], lang: str, titles: Iterable[str] = ()
) -> str:
    """Why `answer` cannot summarise sources `numbers`, or "" when it can."""
    try:
        read_draft(answer, numbers, lang, titles)
    except Rejected as e:
        return str(e)
    return ""


def read_draft(
    answer: Mapping[str, object], numbers: Sequence[int], lang: str, titles: Iterable[str] = ()
) -> Draft:
    allowed = tuple(numbers)
    span = f"[{allowed[0]}]..[{allowed[-1]}]" if allowed else "none"
    points = _points(answer, allowed, span)
    parts = {key: _claims(answer, key, allowed, span) for key in LIMITS}
    draft = Draft(points, parts["themes"], parts["keywords"], parts["impact"], parts["conclusion"])
    _language(draft, lang, list(titles))
    return draft


def _list(answer: Mapping[str, object], key: str, shape: str) -> list[object]:
    if key not in answer:
        raise Rejected(f"the answer has no {key!r} list")
    value = answer[key]
    if not isinstance(value, list):
        raise Rejected(f"{key!r} must be a list of {shape} objects, not {_kind(value)}")
    if not value:
        raise Rejected(f"{key!r} is empty; give at least one {shape} object")
    for i, entry in enumerate(value):
        if not isinstance(entry, dict):
            raise Rejected(f"{key}[{i}] must be a {shape} object, not {_kind(entry)}")
    return value


def _points(answer: Mapping[str, object], allowed: tuple[int, ...], span: str) -> dict[int, str]:
    points: dict[int, str] = {}
    for i, entry in enumerate(_list(answer, "sources", '{"n", "sentence"}')):
        assert isinstance(entry, dict)
        n = _number(entry.get("n"), f"sources[{i}].n")
        if n not in allowed:
            raise Rejected(f"sources[{i}] is about source {n}, but the sources are {span}")
        if n in points:
            raise Rejected(f"source [{n}] has two sentences; give exactly one per source")
        points[n] = _text(entry.get("sentence"), f"the sentence for source [{n}]", allowed, span)
    missing = [n for n in allowed if n not in points]
    if missing:
        shown = ", ".join(f"[{n}]" for n in missing[:6])
        raise Rejected(f"no sentence for source {shown}; give one for every source {span}")
    return points


def _claims(
    answer: Mapping[str, object], key: str, allowed: tuple[int, ...], span: str
) -> tuple[Claim, ...]:
    keyword = key == "keywords"
    shape = '{"term", "sentence", "sources"}' if keyword else '{"sentence", "sources"}'
    out = []
    for i, entry in enumerate(_list(answer, key, shape)[: LIMITS[key]]):
        assert isinstance(entry, dict)
        where = f"{key}[{i}]"
        term = _text(entry.get("term"), f"{where}.term", allowed, span, MAX_TERM) if keyword else ""
        sentence = _text(entry.get("sentence"), f"{where}.sentence", allowed, span)
        refs = entry.get("sources")
        if not isinstance(refs, list):
            raise Rejected(f"{where}.sources must be a list of source numbers, not {_kind(refs)}")
        cited = tuple(dict.fromkeys(_number(r, f"{where}.sources") for r in refs))
        if not cited:
            raise Rejected(f"{where} rests on no source; list the numbers of its sources")
        outside = [n for n in cited if n not in allowed]
        if outside:
            raise Rejected(f"{where} cites source {outside[0]}, but the sources are {span}")
        out.append(Claim(sentence, tuple(sorted(cited)), term))
    return tuple(out)


def _number(value: object, where: str) -> int:
    if value is None:
        raise Rejected(f"{where} is missing")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and (found := _NUMBER.match(value)):
        return int(found[1])
    raise Rejected(f"{where} must hold source numbers, not {_kind(value)}")


def _text(
    value: object, where: str, allowed: tuple[int, ...], span: str, limit: int = MAX_SENTENCE
) -> str:
    """The plain text of one sentence (or term): rules checked, harmless marks removed."""
    if value is None:
        raise Rejected(f"{where} is missing")
    if not isinstance(value, str):
        raise Rejected(f"{where} must be a string, not {_kind(value)}")
    for what, pattern in _FORBIDDEN:
        if pattern.search(value):
            raise Rejected(f"{where} contains {what}; write plain text only")
    for group in _MARKS.findall(value):
        for k in (int(x) for x in re.findall(r"\d+", group)):
            if k not in allowed:
                raise Rejected(f"{where} mentions source [{k}], but the sources are {span}")
    text = _MARKS.sub(" ", value)
    text = _BULLET.sub("", _EMPHASIS.sub("", text))
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", " ".join(text.split()))
    if not text:
        raise Rejected(f"{where} is empty")
    if len(text) > limit:
        raise Rejected(f"{where} is {len(text)} characters long; keep it under {limit}")
    return text


def _language(draft: Draft, lang: str, titles: list[str]) -> None:
    named = [(f"the sentence for source [{n}]", s) for n, s in draft.points.items()]
    for key in LIMITS:
        claims: tuple[Claim, ...] = getattr(draft, key)
        named += [(f"{key}[{i}]", c.sentence) for i, c in enumerate(claims)]
    whole = language_problem("\n".join(s for _, s in named), lang, titles)
    if whole:
        raise Rejected(whole)
    for where, sentence in named:
        if not sentence_in_language(sentence, lang, titles):
            raise Rejected(f"{where} is not written in {NAMES.get(lang, lang)}")


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object" if isinstance(value, dict) else type(value).__name__
