"""Words of a text as the search index sees them: English words and Korean character bigrams.

Korean glues particles and endings to its words ("모델은", "모델을", "언어모델"), so whitespace
words would never match a query for "모델". Hangul runs are cut into overlapping two-syllable
pieces instead (a one-syllable run stays whole): "언어모델은" -> 언어, 어모, 모델, 델은, and a query
for "모델" finds it. Chinese and Japanese runs are treated the same way. Everything else is split
into words of letters and digits, lower-cased, English stop words dropped, and plurals folded by
Harman's S-stemmer ("models" -> "model", "queries" -> "query"). Numbers with dots ("2410.01201",
"3.5") stay one token. Text is NFKC-normalised first (full-width letters, compatibility jamo).

The same function reads documents and queries, so whatever it does to one it does to the other.
`spans` gives each token's place in the (normalised) text, for highlighting.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

CJK = "\uac00-\ud7a3\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"  # scripts cut into bigrams
_TOKEN = re.compile(
    rf"(?P<cjk>[{CJK}]+)|(?P<num>\d+(?:\.\d+)+)|(?P<word>[^\W_{CJK}]+)",
)
MAX_TOKEN = 40  # longer "words" are noise (hashes, base64), not what people search for
STOP_WORDS = frozenset(
    """a an and are as at be been but by can could do does for from had has have how if in into
    is it its of on or our over so such than that the their them then there these they this to
    under up was we were what when where which while who why will with within would you your
    via also more most new not only other out using use used both each all any some than very
    may might must should""".split()
)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _stem(word: str) -> str:
    """Harman's S-stemmer, also sparing -is and -as (analysis, bias): fold plurals only."""
    if len(word) <= 3 or not word.isascii():
        return word
    if word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if word.endswith("s") and not word.endswith(("us", "ss", "is", "as")):
        return word[:-1]
    return word


def spans(text: str) -> Iterator[tuple[str, int, int]]:
    """(token, start, end) for every token of `text`, which must already be normalised."""
    for m in _TOKEN.finditer(text):
        start, run = m.start(), m.group()
        if m.lastgroup == "cjk":
            if len(run) == 1:
                yield run, start, start + 1
            for i in range(len(run) - 1):
                yield run[i : i + 2], start + i, start + i + 2
            continue
        word = run.lower()
        if len(word) > MAX_TOKEN or word in STOP_WORDS:
            continue
        if m.lastgroup == "word" and len(word) == 1 and not word.isdigit():
            continue  # single letters: initials, list markers
        yield _stem(word), start, m.end()


def tokens(text: str) -> list[str]:
    """Every token of `text`, in order, repeats included (term frequencies count them)."""
    return [t for t, _, _ in spans(normalise(text))]


def query_terms(text: str, limit: int = 16) -> list[str]:
    """The distinct tokens of a query, in the order typed, at most `limit` of them."""
    return list(dict.fromkeys(tokens(text)))[:limit]


__all__ = ["normalise", "query_terms", "spans", "tokens"]
