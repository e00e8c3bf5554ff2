"""Offline classification against the bundled labelled titles, five-fold.

    python bench/classify.py [--seed-flags]

Every labelled title (core/classify/data/labelled.jsonl, 617 titles, one model's title-only labels)
is classified from its title alone, as the labels were made, by a semantic model trained on the
other four fifths (no title is scored by a model that saw it). Relevance is scored against the
reviewed AI flags (data/review.jsonl); `--seed-flags` scores it against the flags as delivered.
Earlier lines give the keyword rules' agreement for comparison and the training time.

Figures: papers_agree / news_agree: share of the AI titles with a category whose predicted
category is the label's (whatever the relevance decision); others_share: share of AI titles put
in Others; non_ai_dropped / ai_dropped: share of the not-AI / AI titles judged not about AI;
us_per_item: judging time per title (embedding, both models, rules), model already trained,
the quickest of three runs per fold (wall clock).

Last line: `bench classify: items=N papers_agree=P news_agree=Q others_share=R non_ai_dropped=S
ai_dropped=T us_per_item=U`.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

from core.classify import classify_by_rules
from core.classify.embedding import load_embedder
from core.classify.examples import Example, labelled
from core.classify.semantic import Judgement, SemanticModel
from core.items import Item
from core.taxonomy import OTHERS, load_taxonomy

FOLDS = 5
REPEATS = 3


@dataclass
class Figures:
    items: int
    papers_agree: float
    news_agree: float
    others_share: float
    non_ai_dropped: float
    ai_dropped: float

    def line(self) -> str:
        return (
            f"items={self.items} papers_agree={self.papers_agree:.3f} "
            f"news_agree={self.news_agree:.3f} others_share={self.others_share:.3f} "
            f"non_ai_dropped={self.non_ai_dropped:.3f} ai_dropped={self.ai_dropped:.3f}"
        )


def as_item(n: int, e: Example) -> Item:
    """A labelled title as an item of a source of its kind (as news and papers come from
    different sources, each with its own share of AI items)."""
    return Item(
        id=f"bench:{n}",
        kind=e.kind,
        title=e.title,
        url="https://bench.invalid/",
        source=f"bench-{e.kind}",
    )


def folds(examples: Sequence[Example]) -> list[int]:
    """A fold per example; titles that differ only in case or punctuation share one."""
    keys = sorted({re.sub(r"\W+", " ", e.title.lower()).strip() for e in examples})
    random.Random(0).shuffle(keys)
    fold_of = {k: n % FOLDS for n, k in enumerate(keys)}
    return [fold_of[re.sub(r"\W+", " ", e.title.lower()).strip()] for e in examples]


def share(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def figures(
    examples: Sequence[Example],
    categories: Sequence[str],
    ai: Sequence[bool],
    truth: Sequence[bool],
) -> Figures:
    def agree(kind: str) -> float:
        rows = [n for n, e in enumerate(examples) if e.kind == kind and e.category and truth[n]]
        return share(sum(categories[n] == examples[n].category for n in rows), len(rows))

    is_ai = [n for n in range(len(examples)) if truth[n]]
    not_ai = [n for n in range(len(examples)) if not truth[n]]
    return Figures(
        items=len(examples),
        papers_agree=agree("papers"),
        news_agree=agree("news"),
        others_share=share(sum(categories[n] == OTHERS for n in is_ai), len(is_ai)),
        non_ai_dropped=share(sum(not ai[n] for n in not_ai), len(not_ai)),
        ai_dropped=share(sum(not ai[n] for n in is_ai), len(is_ai)),
    )


def five_fold(examples: Sequence[Example]) -> tuple[list[Judgement], float, float]:
    """Judgements of every example by a model that never saw it; seconds spent training, and
    judging per item."""
    taxonomy = load_taxonomy()
    embedder = load_embedder()
    fold = folds(examples)
    items = [as_item(n, e) for n, e in enumerate(examples)]
    out: list[Judgement | None] = [None] * len(examples)
    trained = judged = 0.0
    for f in range(FOLDS):
        train = [e for e, g in zip(examples, fold, strict=True) if g != f]
        test = [n for n, g in enumerate(fold) if g == f]
        t0 = time.perf_counter()
        model = SemanticModel.train(train, taxonomy, embedder)
        trained += time.perf_counter() - t0
        runs = []
        for _ in range(REPEATS):  # the machine is shared: the quickest run is the least disturbed
            t1 = time.perf_counter()
            got = model.judge([items[n] for n in test], taxonomy)
            runs.append(time.perf_counter() - t1)
        judged += min(runs)
        for n in test:
            out[n] = got[items[n].id]
    return [j for j in out if j is not None], trained / FOLDS, judged / len(examples)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed-flags", action="store_true", help="score relevance as delivered")
    args = parser.parse_args(argv)
    examples = labelled(reviewed=True)
    truth = [e.seed_ai if args.seed_flags else e.ai for e in examples]
    print(
        f"labelled titles: {len(examples)}; AI by review: {sum(e.ai for e in examples)}, "
        f"as delivered: {sum(e.seed_ai for e in examples)}"
    )

    rules = classify_by_rules([as_item(n, e) for n, e in enumerate(examples)], load_taxonomy())
    rule_cats = [rules[f"bench:{n}"] for n in range(len(examples))]
    base = figures(examples, rule_cats, [True] * len(examples), truth)
    print(f"keyword rules alone (no relevance): {base.line()}")

    judgements, train_s, per_item = five_fold(examples)
    got = figures(examples, [j.category for j in judgements], [j.ai for j in judgements], truth)
    print(f"training: {train_s:.2f} s per fold")
    print(f"bench classify: {got.line()} us_per_item={per_item * 1e6:.0f}")


if __name__ == "__main__":
    main()
