"""The semantic classifier: static embeddings and small linear models, trained per taxonomy.

For every item it decides two things (a `Judgement`):
- **about AI or not**: a title with an AI marker (core/classify/markers.py) is AI; otherwise a
  linear model over the title's features decides, trained on the labelled titles that carry no
  marker (the hard ones), with an AI marker in the item's text counting towards AI;
- **its category**: a linear model per kind over the sections of the taxonomy, trained on the
  labelled titles of those sections plus the taxonomy's own words (examples.py), with the keyword
  rules and the arXiv primary category added to its scores. Others is never chosen: it is for a
  taxonomy without sections.

Training takes a fraction of a second and is done once per taxonomy and process (`model_for`).
Constants were chosen with bench/classify.py (five-fold on the labelled titles).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.classify.embedding import Matrix, StaticEmbedder, load_embedder
from core.classify.examples import Example, labelled, not_ai_examples, taxonomy_examples
from core.classify.hangul import gloss
from core.classify.linear import Featurizer, RidgeModel, balanced
from core.classify.markers import markers
from core.classify.rules import (
    PRIMARY_ARXIV_WEIGHT,
    TITLE_WEIGHT,
    KeywordIndex,
    arxiv_score,
    item_words,
)
from core.items import KINDS, Item, Kind
from core.taxonomy import OTHERS, Taxonomy

CATEGORY_L2: dict[Kind, float] = {"papers": 10.0, "news": 3.0}  # fewer news examples, more words
RELEVANCE_L2 = 3.0
CATEGORY_SCALE = 5.0  # ridge scores -> log-odds between categories
RELEVANCE_SCALE = 5.0  # ridge scores -> log-odds of AI against not AI
KEYWORD_WEIGHT: dict[Kind, float] = {"papers": 0.5, "news": 1.0}  # per title keyword, to log-odds
ARXIV_WEIGHT = 1.5  # added for a primary arXiv category the taxonomy maps to the category
RELEVANCE_THRESHOLD = -1.0  # below: not about AI (log-odds, markers in the text included)
TEXT_MARKER_WEIGHT = 0.75  # per AI marker in the item's text (at most two count)
SILENT_TEXT_PENALTY = 1.0  # an item whose own text (this long at least) never names AI…
SILENT_TEXT_CHARS = 200  # …is less likely about AI than its title alone suggests
PRIOR_MIN_ITEMS = 10  # a source's items judged together before its own share of AI counts
PRIOR_CLIP = 0.1  # the share of AI items assumed is kept within [0.1, 0.9]
MARKED = 8.0  # log-odds of a title with an AI marker, for the share of AI items
TEXT_CHARS = 600  # of the item's text read besides its title


def _prior_shifts(items: Sequence[Item], scores: Sequence[float]) -> dict[str, float]:
    """Per source with enough items: how far to move its items' log-odds because of the share
    of its items that look like AI. The model learnt AI and not-AI as equally likely; a general
    tech feed where a fifth of the items look like AI should need more to call an item AI
    (prior shift: Saerens et al., "Adjusting the outputs of a classifier to new a priori
    probabilities", 2002; one step of their EM)."""
    by_source: dict[str, list[float]] = {}
    for item, score in zip(items, scores, strict=True):
        by_source.setdefault(item.source, []).append(score)
    out = {}
    for source, mine in by_source.items():
        if len(mine) >= PRIOR_MIN_ITEMS:
            share = float(np.mean([1.0 / (1.0 + np.exp(-s)) for s in mine]))
            share = min(max(share, PRIOR_CLIP), 1.0 - PRIOR_CLIP)
            out[source] = float(np.log(share / (1.0 - share)))
    return out


@dataclass(frozen=True)
class Judgement:
    category: str
    ai: bool
    score: float  # relevance log-odds; above RELEVANCE_THRESHOLD is AI
    markers: tuple[str, ...] = ()


@dataclass(frozen=True)
class _KindModel:
    featurizer: Featurizer
    model: RidgeModel
    ids: tuple[str, ...]
    keywords: KeywordIndex


class SemanticModel:
    def __init__(
        self,
        embedder: StaticEmbedder,
        kinds: dict[Kind, _KindModel],
        relevance: tuple[Featurizer, RidgeModel],
    ) -> None:
        self.embedder = embedder
        self.kinds = kinds
        self.relevance = relevance

    @classmethod
    def train(
        cls,
        examples: Sequence[Example],
        taxonomy: Taxonomy,
        embedder: StaticEmbedder | None = None,
    ) -> SemanticModel:
        embedder = embedder or load_embedder()
        kinds: dict[Kind, _KindModel] = {}
        for kind in KINDS:
            ids = tuple(c.id for c in taxonomy.sections(kind))
            mine = [
                e for e in examples if e.kind == kind and e.ai and e.category in ids
            ] + taxonomy_examples(taxonomy, kind)
            if not ids:
                continue
            tokens = embedder.token_ids([gloss(e.title) for e in mine])
            featurizer = Featurizer.fit(embedder, tokens)
            y = np.array([ids.index(str(e.category)) for e in mine], dtype=np.int64)
            model = RidgeModel.fit(featurizer(tokens), y, len(ids), l2=CATEGORY_L2[kind])
            index = KeywordIndex(taxonomy.sections(kind))
            kinds[kind] = _KindModel(featurizer, model, ids, index)
        hard = [e for e in [*examples, *not_ai_examples()] if not markers(e.title)]
        tokens = embedder.token_ids([gloss(e.title) for e in hard])
        featurizer = Featurizer.fit(embedder, tokens)
        y = np.array([int(e.ai) for e in hard], dtype=np.int64)
        relevance = RidgeModel.fit(
            featurizer(tokens), y, 2, l2=RELEVANCE_L2, sample_weight=balanced(y, 2)
        )
        return cls(embedder, kinds, (featurizer, relevance))

    def judge(self, items: Sequence[Item], taxonomy: Taxonomy) -> dict[str, Judgement]:
        """Item id -> judgement, for every item."""
        if not items:
            return {}
        titles = self.embedder.token_ids([gloss(i.title) for i in items])
        texts = self.embedder.token_ids([gloss(i.summary[:TEXT_CHARS]) for i in items])
        vectors = self.relevance[0].vectors(titles, texts)
        relevance = self._relevance(items, vectors, titles)
        categories = self._categories(items, taxonomy, vectors, titles)
        return {item.id: Judgement(categories[n], *relevance[n]) for n, item in enumerate(items)}

    def _relevance(
        self, items: Sequence[Item], vectors: Matrix, titles: list[list[int]]
    ) -> list[tuple[bool, float, tuple[str, ...]]]:
        featurizer, model = self.relevance
        logits = RELEVANCE_SCALE * featurizer.scores(model, vectors, titles)
        scores, found = [], []
        for n, item in enumerate(items):
            in_title = tuple(markers(item.title))
            in_text = markers(item.summary[:TEXT_CHARS]) if item.summary else []
            score = float(logits[n, 1] - logits[n, 0])
            score += TEXT_MARKER_WEIGHT * min(2, len(in_text))
            if not in_title and not in_text and len(item.summary) >= SILENT_TEXT_CHARS:
                score -= SILENT_TEXT_PENALTY
            scores.append(score + (MARKED if in_title else 0.0))
            found.append(in_title)
        shift = _prior_shifts(items, scores)
        out = []
        for n, item in enumerate(items):
            score = scores[n] - (MARKED if found[n] else 0.0) + shift.get(item.source, 0.0)
            out.append((bool(found[n]) or score > RELEVANCE_THRESHOLD, round(score, 3), found[n]))
        return out

    def _categories(
        self,
        items: Sequence[Item],
        taxonomy: Taxonomy,
        vectors: Matrix,
        titles: list[list[int]],
    ) -> list[str]:
        out = [OTHERS] * len(items)
        for kind, km in self.kinds.items():
            rows = [n for n, item in enumerate(items) if item.kind == kind]
            if not rows:
                continue
            logits = CATEGORY_SCALE * km.featurizer.scores(
                km.model, vectors[rows], [titles[n] for n in rows]
            )
            cats = taxonomy.sections(kind)
            for r, n in enumerate(rows):
                item = items[n]
                bonus = np.array(km.keywords.scores(item_words(item))) * (
                    KEYWORD_WEIGHT[kind] / TITLE_WEIGHT
                )
                if item.arxiv_categories:
                    bonus += [
                        ARXIV_WEIGHT * arxiv_score(item, c) / PRIMARY_ARXIV_WEIGHT for c in cats
                    ]
                out[n] = km.ids[int(np.argmax(logits[r] + bonus))]
        return out


def fingerprint(taxonomy: Taxonomy) -> tuple[object, ...]:
    """What of a taxonomy the model depends on, hashable (Taxonomy holds a dict)."""
    return tuple((k, taxonomy.of(k)) for k in KINDS)


_MODELS: dict[tuple[object, ...], SemanticModel] = {}
_MODELS_KEPT = 8


def model_for(taxonomy: Taxonomy) -> SemanticModel:
    """The model trained on the bundled examples for `taxonomy`, once per process."""
    key = fingerprint(taxonomy)
    model = _MODELS.get(key)
    if model is None:
        model = SemanticModel.train(labelled(), taxonomy)
        if len(_MODELS) >= _MODELS_KEPT:
            _MODELS.pop(next(iter(_MODELS)))
        _MODELS[key] = model
    return model
