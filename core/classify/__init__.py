"""Offline classification: is an item about AI, and which category of the taxonomy is it?

`classify_offline(items, taxonomy)` is the classifier protocol's offline answer (item id ->
category id, for every item): the semantic classifier (semantic.py). `OfflineClassifier` sorts by
the classifier chosen in settings (DIGEST_CLASSIFIER=semantic|rules); with `relevance=True` it
also answers NOT_AI for the items the semantic model judges not about AI (whichever sorts).

    rules.py      keyword rules and arXiv hints (the classifier before; now a signal)
    semantic.py   static embeddings + small linear models, trained per taxonomy
    embedding.py  the static embedding model, read from the `wordllama` wheel
    linear.py     features and multinomial logistic regression in numpy
    examples.py   the bundled labelled titles and the taxonomy's own words
    markers.py    words that make an item about AI on their own
    hangul.py     Korean words where they start, glossed for the model
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from core.classify.rules import classify_by_rules, classify_item
from core.classify.semantic import Judgement, model_for
from core.items import Item
from core.taxonomy import NOT_AI, Taxonomy

ClassifierName = Literal["semantic", "rules"]
CLASSIFIERS: tuple[ClassifierName, ...] = ("semantic", "rules")


def judge(items: Sequence[Item], taxonomy: Taxonomy) -> dict[str, Judgement]:
    """Item id -> category and AI decision, by the semantic classifier."""
    return model_for(taxonomy).judge(items, taxonomy)


class OfflineClassifier:
    """The classifier protocol, offline: `(items, taxonomy) -> {item id: category id}`.

    `name` chooses what sorts items into categories: the semantic model or the keyword rules.
    `relevance=True` answers NOT_AI for the items the semantic model judges not about AI (the
    rules cannot judge that). Without it every item gets a category of its kind.
    """

    def __init__(self, name: ClassifierName = "semantic", relevance: bool = False) -> None:
        if name not in CLASSIFIERS:
            raise ValueError(f"unknown classifier {name!r}: one of {', '.join(CLASSIFIERS)}")
        self.name = name
        self.relevance = relevance

    def __call__(self, items: Sequence[Item], taxonomy: Taxonomy) -> dict[str, str]:
        items = list(items)
        judged = judge(items, taxonomy) if self.name == "semantic" or self.relevance else {}
        if self.name == "rules":
            labels = classify_by_rules(items, taxonomy)
        else:
            labels = {i: j.category for i, j in judged.items()}
        if self.relevance:
            labels.update({i: NOT_AI for i, j in judged.items() if not j.ai})
        return labels

    def __repr__(self) -> str:
        return f"OfflineClassifier({self.name!r}, relevance={self.relevance})"


def classify_offline(items: Iterable[Item], taxonomy: Taxonomy) -> dict[str, str]:
    """Item id -> category id, for every item (the semantic classifier; no relevance)."""
    return OfflineClassifier("semantic")(list(items), taxonomy)


__all__ = [
    "CLASSIFIERS",
    "NOT_AI",
    "ClassifierName",
    "Judgement",
    "OfflineClassifier",
    "classify_by_rules",
    "classify_item",
    "classify_offline",
    "judge",
]
