"""The keyword classifier: a category's keywords and arXiv hints, counted in an item's text.

`DIGEST_CLASSIFIER=rules` uses it alone; the semantic classifier adds its counts to the model's
scores, where they measurably help (see bench/classify.py). Latin keywords match whole words
("act" is not in "action"; a plural "s" still matches); Korean keywords match where a Korean word
starts (규제를, never "법" inside "대처법", see core/classify/hangul.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from core.classify.hangul import HANGUL_RUN, Vocabulary, has_hangul
from core.items import Item
from core.taxonomy import OTHERS, Category, Taxonomy

TITLE_WEIGHT = 3.0
SUMMARY_WEIGHT = 1.0
PRIMARY_ARXIV_WEIGHT = 2.5
CROSS_LIST_ARXIV_WEIGHT = 1.0


_WORD = re.compile(r"\w+(?:[-.·+]\w+)*")


class Words:
    """A text's words, lower-cased, found once and then looked up by every category."""

    def __init__(self, text: str) -> None:
        self.text = text
        words = _WORD.findall(text.lower())
        self.words = set(words)
        for w in words:  # a plural "s" still matches: "language models" is "language model"
            if w.endswith("es"):
                self.words.add(w[:-2])
            if w.endswith("s"):
                self.words.add(w[:-1])
        self.joined = f" {' '.join(words)} "


class Keywords:
    """One category's keywords, ready to be found in text."""

    def __init__(self, keywords: Sequence[str]) -> None:
        latin = [k.lower() for k in keywords if not has_hangul(k)]
        self.single = {k for k in latin if _WORD.fullmatch(k)}
        phrases = {" ".join(_WORD.findall(k)): k for k in latin if k not in self.single}
        alts = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
        self.phrases = phrases
        self.phrase = re.compile(f" ({alts})(?:s|es)?(?= )") if phrases else None
        korean = [k for k in keywords if has_hangul(k)]
        self.korean = Vocabulary(k for k in korean if HANGUL_RUN.fullmatch(k))
        spaced = [k for k in korean if not HANGUL_RUN.fullmatch(k)]  # "언어 모델"
        self.korean_phrase = (
            re.compile("|".join(f"(?<![\uac00-\ud7a3]){re.escape(k)}" for k in spaced))
            if spaced
            else None
        )

    def found(self, text: str | Words) -> set[str]:
        """The distinct keywords in `text`."""
        words = text if isinstance(text, Words) else Words(text)
        hits = self.single & words.words
        if self.phrase is not None:
            hits.update(self.phrases[p] for p in self.phrase.findall(words.joined))
        if has_hangul(words.text):
            hits.update(self.korean.find(words.text))
            if self.korean_phrase is not None:
                hits.update(self.korean_phrase.findall(words.text))
        return hits


class KeywordIndex:
    """The keywords of several categories at once: `scores(item)` is `keyword_score` of each
    category, in one pass over the item's words (the semantic classifier asks for every item)."""

    def __init__(self, categories: Sequence[Category]) -> None:
        self.size = len(categories)
        self.owners: dict[str, set[int]] = {}
        for n, c in enumerate(categories):
            for k in c.keywords:
                self.owners.setdefault(k.lower() if not has_hangul(k) else k, set()).add(n)
        self.keywords = Keywords(list(self.owners))

    def counts(self, words: Words) -> list[int]:
        out = [0] * self.size
        for k in self.keywords.found(words):
            for n in self.owners[k]:
                out[n] += 1
        return out

    def scores(self, words: tuple[Words, Words]) -> list[float]:
        title, summary = self.counts(words[0]), self.counts(words[1])
        return [
            TITLE_WEIGHT * t + SUMMARY_WEIGHT * min(3, s)
            for t, s in zip(title, summary, strict=True)
        ]


@lru_cache(maxsize=512)
def keywords_of(category: Category) -> Keywords:
    return Keywords(category.keywords)


def keyword_score(
    item: Item, category: Category, words: tuple[Words, Words] | None = None
) -> float:
    """Title keywords count three times, summary keywords once (at most three of them).
    `words`: the item's title and summary words, when already found."""
    kw = keywords_of(category)
    title, summary = words or (Words(item.title), Words(item.summary))
    return TITLE_WEIGHT * len(kw.found(title)) + SUMMARY_WEIGHT * min(3, len(kw.found(summary)))


def arxiv_score(item: Item, category: Category) -> float:
    if not item.arxiv_categories:
        return 0.0
    primary = PRIMARY_ARXIV_WEIGHT if item.arxiv_categories[0] in category.arxiv else 0.0
    cross = sum(c in category.arxiv for c in item.arxiv_categories[1:])
    return primary + CROSS_LIST_ARXIV_WEIGHT * cross


def item_words(item: Item) -> tuple[Words, Words]:
    return Words(item.title), Words(item.summary)


def score(item: Item, category: Category, words: tuple[Words, Words] | None = None) -> float:
    return keyword_score(item, category, words) + arxiv_score(item, category)


def classify_item(item: Item, taxonomy: Taxonomy) -> str:
    """The best-scoring category id; taxonomy order breaks ties; no signal at all is Others."""
    best, best_score = OTHERS, 0.0
    words = item_words(item)
    for cat in taxonomy.sections(item.kind):
        s = score(item, cat, words)
        if s > best_score:
            best, best_score = cat.id, s
    return best


def classify_by_rules(items: Iterable[Item], taxonomy: Taxonomy) -> dict[str, str]:
    """Item id -> category id, for every item."""
    return {item.id: classify_item(item, taxonomy) for item in items}
