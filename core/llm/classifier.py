"""Classification by an LLM: batches of tens of items, all batches in flight at once.

Items go out under short per-batch ids ("i1".."i40") mapped back to Item.id, so a model cannot
garble a long id; the answer's category must be one of the kind's ids (a schema enum). Answers
for ids not in the batch are ignored; items left without a label are asked again once, in one
more round, and whatever is still missing is labelled by the offline rules. No item is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from core.classify import classify_offline
from core.items import KINDS, Item, Kind
from core.llm.cache import Answer
from core.llm.chat import LLM, LLMError
from core.llm.classify_prompt import classify_messages, classify_schema
from core.taxonomy import Taxonomy

log = logging.getLogger(__name__)

SCHEMA_NAME = "classification"
BATCH_SIZE = 40
TOKENS_PER_LABEL = 20  # {"id":"i12","category":"computer-vision"}, with room to spare

Batch = tuple[Kind, tuple[Item, ...]]


class LLMClassifier:
    def __init__(self, llm: LLM, batch_size: int = BATCH_SIZE, rounds: int = 2) -> None:
        self.llm = llm
        self.batch_size = max(1, batch_size)
        self.rounds = rounds  # the first ask, and once more for what it left out

    def __call__(self, items: Sequence[Item], taxonomy: Taxonomy) -> dict[str, str]:
        """Item id -> category id, for every item."""
        labels: dict[str, str] = {}
        for round_no in range(self.rounds):
            todo = [i for i in items if i.id not in labels and taxonomy.of(i.kind)]
            if not todo:
                break
            if round_no:
                log.info("classification: asking again for %d unlabelled items", len(todo))
            for answer in self.llm.map(lambda b: self._batch(b, taxonomy), self.batches(todo)):
                for item_id, category in answer.items():
                    labels.setdefault(item_id, category)
        left = [i for i in items if i.id not in labels]
        if left:
            log.info("classification: %d items labelled by the offline rules", len(left))
            labels.update(classify_offline(left, taxonomy))
        return labels

    def batches(self, items: Sequence[Item]) -> list[Batch]:
        out: list[Batch] = []
        for kind in KINDS:
            mine = [i for i in items if i.kind == kind]
            for start in range(0, len(mine), self.batch_size):
                out.append((kind, tuple(mine[start : start + self.batch_size])))
        return out

    def _batch(self, batch: Batch, taxonomy: Taxonomy) -> dict[str, str]:
        kind, chunk = batch
        short = {f"i{n}": item for n, item in enumerate(chunk, start=1)}
        allowed = taxonomy.ids(kind)
        try:
            answer = self.llm.complete_json(
                classify_messages(kind, taxonomy.of(kind), short),
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
        return out


def _shape_problem(answer: Answer) -> str:
    return "" if isinstance(answer.get("labels"), list) else "the answer has no list of labels"
