"""Is a text written in the digest's language? Measured on letters of the prose only: URLs,
`code`, quoted spans, citation marks and the sources' titles are taken out first, since a Korean
summary rightly quotes English titles and keeps technical terms in English.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MIN_HANGUL_SHARE = 0.5  # ko: Hangul letters / all letters of a whole answer's prose
MIN_LATIN_SHARE = 0.8  # en: Latin letters / all letters of a whole answer's prose
SENTENCE_HANGUL = 0.2  # ko: one sentence with less is not Korean (terms stay in English)
SENTENCE_LATIN = 0.5  # en: one sentence with less is not English
MIN_LETTERS = 20  # fewer letters of prose than this say nothing about the language

_CITATION = re.compile(r"\[(\d{1,4})\]")
_URL = re.compile(r"https?://\S+")
_CODE = re.compile(r"`[^`\n]*`")
_QUOTED = re.compile(r"「[^」]{0,300}」|『[^』]{0,300}』|“[^”]{0,300}”|\"[^\"\n]{0,300}\"")
NAMES = {"ko": "Korean", "en": "English"}


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
    """Why a whole answer's `text` is not written in `lang`, or "" (also for languages this
    cannot judge)."""
    hangul, latin, count = script_shares(prose(text, titles))
    if count < MIN_LETTERS:
        return ""
    if lang == "ko" and hangul < MIN_HANGUL_SHARE:
        return f"not written in Korean (Hangul is {hangul:.0%} of the letters, needs 50%+)"
    if lang == "en" and latin < MIN_LATIN_SHARE:
        return f"not written in English (Latin is {latin:.0%} of the letters, needs 80%+)"
    return ""


def sentence_in_language(text: str, lang: str, titles: Iterable[str] = ()) -> bool:
    """False for a sentence plainly in another language (a mixed-language answer)."""
    hangul, latin, count = script_shares(prose(text, titles))
    if count < MIN_LETTERS:
        return True
    if lang == "ko":
        return hangul >= SENTENCE_HANGUL
    if lang == "en":
        return latin >= SENTENCE_LATIN
    return True
