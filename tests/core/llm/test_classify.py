"""Classification: short ids, batches in parallel, enum of the kind's ids, and no item dropped
whatever ids come back."""

from __future__ import annotations

import json
import re

import pytest

from core.classify import classify_offline
from core.items import Item
from core.llm.classify_prompt import classify_schema
from core.llm.prompts import TITLE_TOKENS, cut
from core.merge import merge
from core.pipeline import SourceResult
from tests.core.llm.conftest import TAX, engine_for
from tests.doubles.llm_server import LLMServer

_BLOCK = re.compile(r"<items>\n(.*?)\n</items>", re.DOTALL)


@pytest.fixture(scope="module")
def items(results: list[SourceResult]) -> list[Item]:
    from core import demo

    return merge((i for r in results for i in r.items), demo.demo_now())


def _rows(server: LLMServer) -> list[list[dict[str, str]]]:
    """The rows of each classification request's <items> block."""
    out = []
    for p in server.prompts("classification"):
        found = _BLOCK.search(p)
        assert found, "the items must travel in the <items> block"
        out.append(json.loads(found[1]))
    return out


def _asked(server: LLMServer) -> list[list[str]]:
    """The short ids each classification request asked about."""
    return [[row["id"] for row in rows] for rows in _rows(server)]


def _first_round(items: list[Item]) -> int:
    return sum(-(-sum(i.kind == k for i in items) // 40) for k in ("news", "papers"))


def _valid(labels: dict[str, str], items: list[Item]) -> None:
    assert set(labels) == {i.id for i in items}  # nothing dropped, nothing invented
    for i in items:
        assert labels[i.id] in TAX.ids(i.kind), (i.id, labels[i.id])


def test_batches_use_short_ids_and_the_kinds_enum(server: LLMServer, settings, items) -> None:
    labels = engine_for(settings).classify(items, TAX)
    _valid(labels, items)
    asked = _asked(server)
    n_news = sum(i.kind == "news" for i in items)
    n_papers = len(items) - n_news
    assert len(asked) == -(-n_news // 40) + -(-n_papers // 40)  # ceil: batches of 40
    assert all(ids == [f"i{n}" for n in range(1, len(ids) + 1)] for ids in asked)
    assert sum(len(ids) for ids in asked) == len(items)
    for body in server.requests:
        fmt = body["response_format"]
        assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
        enum = fmt["json_schema"]["schema"]["properties"]["labels"]["items"]["properties"][
            "category"
        ]["enum"]
        assert enum in (TAX.ids("news"), TAX.ids("papers"))
    # the model's labels are used: some differ from what the offline rules would say
    assert labels != classify_offline(items, TAX)


def test_all_batches_are_in_flight_at_once(server: LLMServer, settings, items) -> None:
    server.set_latency(0.3)
    engine_for(settings).classify(items, TAX)
    assert server.max_concurrent == server.calls == len(_asked(server)) >= 8


def test_unknown_ids_are_ignored_and_the_garbled_item_asked_again(server, settings, items):
    server.add_fault("unknown_ids", schema="classification")
    engine = engine_for(settings)
    labels = engine.classify(items, TAX)
    _valid(labels, items)
    assert "arxiv:2410.99999" not in labels
    rows = _rows(server)
    n_first = _first_round(items)
    firsts = [batch[0] for _, batch in engine.classify.batches(items)]
    # each batch's garbled item is asked once more (regrouped by kind), and nothing else
    assert sorted(r["title"] for b in rows[n_first:] for r in b) == sorted(
        cut(i.title, TITLE_TOKENS) for i in firsts
    )
    # garbled again on the second ask: those get the offline rules' label
    for _, batch in engine.classify.batches(firsts):
        assert labels[batch[0].id] == classify_offline([batch[0]], TAX)[batch[0].id]


def test_missing_ids_are_asked_again_once_then_the_rules_label_them(server, settings, items):
    server.add_fault("missing_ids", schema="classification")
    labels = engine_for(settings).classify(items, TAX)
    _valid(labels, items)
    rows = _rows(server)
    n_first = _first_round(items)
    dropped = sorted(r["title"] for b in rows[:n_first] for r in b[1::2])
    again = sorted(r["title"] for batch in rows[n_first:] for r in batch)
    # the second round asks exactly what the first left out, and no third round follows
    assert again == dropped and again


def test_a_failed_batch_is_asked_again(server: LLMServer, settings, items) -> None:
    server.add_fault("500", times=3, schema="classification")  # one batch, all three tries
    engine = engine_for(settings)
    labels = engine.classify(items, TAX)
    _valid(labels, items)
    assert engine.llm is not None and engine.llm.stats()["retries"] >= 2


def test_schema_is_strict_json_schema() -> None:
    schema = classify_schema(["llm", "others"])
    label = schema["properties"]["labels"]["items"]
    assert schema["additionalProperties"] is False and label["additionalProperties"] is False
    assert label["required"] == ["id", "category"]
    assert label["properties"]["category"]["enum"] == ["llm", "others"]
