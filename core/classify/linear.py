"""A small linear model: ridge regression to class indicators over a title's features, in numpy.

Features are the title's static embedding and a bag of its tokens (those seen at least twice in
the training titles, scaled down): the embedding carries meaning, the bag the particular words
("Show HN", "Postgres", "LLM") that a few hundred examples can teach.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from core.classify.embedding import Matrix, StaticEmbedder

BAG_SCALE = 0.5
BAG_MIN_COUNT = 2
MORE_WEIGHT = 0.5


@dataclass(frozen=True)
class Featurizer:
    embedder: StaticEmbedder
    vocabulary: dict[int, int]  # token id -> column of the bag

    @classmethod
    def fit(cls, embedder: StaticEmbedder, ids: Sequence[Sequence[int]]) -> Featurizer:
        counts = Counter(t for tokens in ids for t in set(tokens))
        kept = sorted(t for t, n in counts.items() if n >= BAG_MIN_COUNT)
        return cls(embedder, {t: col for col, t in enumerate(kept)})

    def columns(self, tokens: Sequence[int]) -> list[int]:
        return sorted({self.vocabulary[t] for t in tokens if t in self.vocabulary})

    def vectors(
        self, ids: Sequence[Sequence[int]], more: Sequence[Sequence[int]] | None = None
    ) -> Matrix:
        """The embedding part; `more`, the token ids of each title's text, moves it part of the
        way (MORE_WEIGHT) towards the text's."""
        vectors = self.embedder.embed_ids(ids)
        if more is not None:
            vectors = vectors + MORE_WEIGHT * self.embedder.embed_ids(more)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            vectors = (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float32)
        return vectors

    def __call__(
        self, ids: Sequence[Sequence[int]], more: Sequence[Sequence[int]] | None = None
    ) -> Matrix:
        """Features of titles (their token ids), dense: for training."""
        bag = np.zeros((len(ids), len(self.vocabulary)), dtype=np.float32)
        for row, tokens in enumerate(ids):
            cols = self.columns(tokens)
            if cols:
                bag[row, cols] = BAG_SCALE / np.sqrt(len(cols))
        return np.concatenate([self.vectors(ids, more), bag], axis=1)

    def scores(self, model: RidgeModel, vectors: Matrix, ids: Sequence[Sequence[int]]) -> Matrix:
        """`model.scores(self(ids, more))`, given `self.vectors(ids, more)` (which every model
        over the same embedder shares), without building the mostly empty bag."""
        dim = self.embedder.dim
        out = vectors @ model.weights[:dim] + model.bias
        bag_weights = model.weights[dim:]
        for row, tokens in enumerate(ids):
            cols = self.columns(tokens)
            if cols:
                out[row] += bag_weights[cols].sum(axis=0) * (BAG_SCALE / np.sqrt(len(cols)))
        return out


@dataclass(frozen=True)
class RidgeModel:
    """One linear score per class, least squares to the class indicators with an L2 penalty:
    solved in closed form through the examples' Gram matrix (a few hundred examples, features
    in the thousands), so training is one small linear solve, not hundreds of gradient steps."""

    weights: Matrix  # features x classes
    bias: Matrix  # classes

    @classmethod
    def fit(
        cls,
        x: Matrix,
        y: npt.NDArray[np.int64],
        classes: int,
        *,
        l2: float,
        sample_weight: Matrix | None = None,
    ) -> RidgeModel:
        n = x.shape[0]
        xb = np.concatenate([x, np.ones((n, 1), dtype=np.float32)], axis=1)  # the bias column
        targets = np.eye(classes, dtype=np.float64)[y]
        sw = np.ones(n) if sample_weight is None else sample_weight.astype(np.float64)
        sw = sw * (n / sw.sum())
        gram = (xb @ xb.T).astype(np.float64) + np.diag(l2 / sw)
        dual = np.linalg.solve(gram, targets)
        w = (xb.T.astype(np.float64) @ dual).astype(np.float32)
        return cls(w[:-1], w[-1])

    def scores(self, x: Matrix) -> Matrix:
        return x @ self.weights + self.bias


def balanced(y: npt.NDArray[np.int64], classes: int) -> Matrix:
    """Sample weights that give every class the same total weight."""
    counts = np.bincount(y, minlength=classes).astype(np.float32)
    return (1.0 / np.maximum(counts, 1.0))[y].astype(np.float32)
