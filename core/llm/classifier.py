"""Classification by an LLM: batches of tens of items, all batches in flight at once.

Items go out under short per-batch ids ("i1".."i40") mapped back to Item.id, so a model cannot
garble a long id; the answer's category must be one of the kind's ids or `not_ai` (a schema
enum; `relevance=False` leaves `not_ai` out). Answers for ids not in the batch are ignored; items
left without a label are asked again once, in one more round, and whatever is still missing is
labelled by the offline classifier. No item is dropped here: a `not_ai` label is for the pipeline.

A batch whose labels disagree wholesale with the offline classifier is not believed: labels
that walk down the category list in order, or that agree with the offline judgement on fewer
than one item in five, are how a confused or broken model answers (the offline classifier agrees
with a sound one on about two thirds: bench/classify.py). Such a batch is classified offline.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from itertools import pairwise

from core.classify import NOT_AI, Judgement, judge
from core.items import KINDS, Item, Kind
from core.llm.cache import Answer
from core.llm.chat import LLM, LLMError
from core.llm.classify_prompt import classify_messages, classify_schema
from core.taxonomy import OTHERS, Taxonomy

log = logging.getLogger(__name__)

SCHEMA_NAME = "classification"
BATCH_SIZE = 40
TOKENS_PER_LABEL = 20  # {"id":"i12","category":"computer-vision"}, with room to spare
MIN_AGREEMENT = 0.2  # of a batch's labels with the offline judgement, below which it is rejected
MIN_COMPARED = 10  # labels needed before a batch's agreement says anything
IN_ORDER_SHARE = 0.8  # of a batch's labels following the category list: rejected

Batch = tuple[Kind, tuple[Item, ...]]


class LLMClassifier:
    def __init__(
        self, llm: LLM, batch_size: int = BATCH_SIZE, rounds: int = 2, relevance: bool = True
    ) -> None:
        self.llm = llm
        self.batch_size = max(1, batch_size)
        self.rounds = rounds  # the first ask, and once more for what it left out
        self.relevance = relevance  # `not_ai` is a choice

    def __call__(self, items: Sequence[Item], taxonomy: Taxonomy) -> dict[str, str]:
        """Item id -> category id (or NOT_AI), for every item."""
        offline = judge(items, taxonomy)
        labels: dict[str, str] = {}
        for round_no in range(self.rounds):
            todo = [i for i in items if i.id not in labels and taxonomy.of(i.kind)]
            if not todo:
                break
            if round_no:
                log.info("classification: asking again for %d unlabelled items", len(todo))
            answers = self.llm.map(lambda b: self._batch(b, taxonomy, offline), self.batches(todo))
            for answer in answers:
                for item_id, category in answer.items():
                    labels.setdefault(item_id, category)
        left = [i for i in items if i.id not in labels]
        if left:
            log.info("classification: %d items labelled by the offline classifier", len(left))
            labels.update({i.id: self._offline(offline[i.id]) for i in left})
        return labels

    def batches(self, items: Sequence[Item]) -> list[Batch]:
        out: list[Batch] = []
        for kind in KINDS:
            mine = [i for i in items if i.kind == kind]
            for start in range(0, len(mine), self.batch_size):
                out.append((kind, tuple(mine[start : start + self.batch_size])))
        return out

    def _offline(self, judged: Judgement) -> str:
        return NOT_AI if self.relevance and not judged.ai else judged.category

    def _batch(
        self, batch: Batch, taxonomy: Taxonomy, offline: Mapping[str, Judgement]
    ) -> dict[str, str]:
        kind, chunk = batch
        short = {f"i{n}": item for n, item in enumerate(chunk, start=1)}
        allowed = taxonomy.ids(kind) + ([NOT_AI] if self.relevance else [])
        try:
            answer = self.llm.complete_json(
                classify_messages(kind, taxonomy.of(kind), short, self.relevance),
                classify_schema(allowed),
                SCHEMA_NAME,
                check=_shape_problem,
                max_tokens=TOKENS_PER_LABEL * len(chunk) + 50,
            )
        except LLMError as e:
            log.warning("classification batch of %d %s failed: %s", len(chunk), kind, e)
            return {}
        out: dict[str, str] = {}
        for entry in answer["labels"]:
            if not isinstance(entry, dict):
                continue
            item = short.get(str(entry.get("id", "")).strip())
            category = entry.get("category")
            if item is not None and category in allowed and item.id not in out:
                out[item.id] = str(category)
        problem = self._disbelief(out, [i.id for i in chunk], allowed, offline)
        if problem:
            log.warning(
                "classification batch of %d %s rejected (%s): classified offline",
                len(chunk),
                kind,
                problem,
            )
            return {i.id: self._offline(offline[i.id]) for i in chunk}
        return out

    def _disbelief(
        self,
        labels: Mapping[str, str],
        order: Sequence[str],
        allowed: Sequence[str],
        offline: Mapping[str, Judgement],
    ) -> str:
        """Why a batch's labels are not to be believed, or ""."""
        answered = [i for i in order if i in labels]
        if len(answered) < MIN_COMPARED:
            return ""
        ranks = [allowed.index(labels[i]) for i in answered]
        steps = sum(b == (a + 1) % len(allowed) for a, b in pairwise(ranks))
        if steps >= IN_ORDER_SHARE * (len(ranks) - 1):
            return "its labels follow the category list"
        compared = [i for i in answered if labels[i] != OTHERS]
        if len(compared) < MIN_COMPARED:
            return ""
        agree = sum(labels[i] == self._offline(offline[i]) for i in compared) / len(compared)
        if agree < MIN_AGREEMENT:
            return f"{agree:.0%} agreement with the offline classifier"
        return ""


def _shape_problem(answer: Answer) -> str:
    return "" if isinstance(answer.get("labels"), list) else "the answer has no list of labels"
