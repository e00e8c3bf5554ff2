"""Classification: short ids, batches in parallel, enum of the kind's ids plus `not_ai`, no item
dropped whatever ids come back, and a batch that disagrees wholesale classified offline."""

from __future__ import annotations

import json
import re

import pytest

from core.classify import NOT_AI, OfflineClassifier
from core.items import Item
from core.llm.classifier import LLMClassifier
from core.llm.classify_prompt import classify_messages, classify_schema
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


def _in_prompt(title: str) -> str:
    """How a title reads inside a classification prompt."""
    return json.dumps(cut(title, TITLE_TOKENS), ensure_ascii=False)[1:-1]


def _first_round(items: list[Item]) -> int:
    return sum(-(-sum(i.kind == k for i in items) // 40) for k in ("news", "papers"))


OFFLINE = OfflineClassifier("semantic", relevance=True)


def _valid(labels: dict[str, str], items: list[Item]) -> None:
    assert set(labels) == {i.id for i in items}  # nothing dropped, nothing invented
    for i in items:
        assert labels[i.id] in [*TAX.ids(i.kind), NOT_AI], (i.id, labels[i.id])


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
        assert enum in ([*TAX.ids("news"), NOT_AI], [*TAX.ids("papers"), NOT_AI])
    # the model's labels are used: some differ from what the offline classifier would say
    assert labels != OFFLINE(items, TAX)
    # and the model judges relevance too: the general-tech stories of the news feeds are not AI
    news = {i.title: labels[i.id] for i in items if i.kind == "news"}
    assert news["Ubuntu 26.04 Ends 46 Years of Silent sudo Passwords"] == NOT_AI
    assert news["Introducing ChatGPT agent"] != NOT_AI


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
    # garbled again on the second ask: those get the offline classifier's label
    for _, batch in engine.classify.batches(firsts):
        assert labels[batch[0].id] == OFFLINE([batch[0]], TAX)[batch[0].id]


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


def test_a_batch_that_walks_down_the_category_list_is_classified_offline(
    server: LLMServer, settings, items
) -> None:
    engine = engine_for(settings)
    first = engine.classify.batches(items)[0][1]
    server.add_fault("list_order", schema="classification", match=_in_prompt(first[0].title))
    labels = engine.classify(items, TAX)
    _valid(labels, items)
    offline = OFFLINE(list(first), TAX)
    assert {i.id: labels[i.id] for i in first} == offline
    # the other batches are the model's: one at least differs from the offline answer
    rest = [i for i in items if i.id not in offline]
    assert any(labels[i.id] != OFFLINE([i], TAX)[i.id] for i in rest)
    assert server.calls == _first_round(items)  # rejected, not asked again


def test_without_relevance_the_enum_and_the_prompt_leave_not_ai_out(
    server: LLMServer, settings, items
) -> None:
    engine = engine_for(settings)
    assert engine.llm is not None
    labels = LLMClassifier(engine.llm, relevance=False)(items, TAX)
    assert all(labels[i.id] in TAX.ids(i.kind) for i in items)
    body = server.requests[0]
    enum = body["response_format"]["json_schema"]["schema"]["properties"]["labels"]["items"][
        "properties"
    ]["category"]["enum"]
    assert NOT_AI not in enum
    assert NOT_AI not in body["messages"][0]["content"]


def test_the_prompt_describes_not_ai() -> None:
    batch = {"i1": Item(id="x", kind="news", title="Windows 11½", url="https://x/", source="t")}
    system = classify_messages("news", TAX.of("news"), batch, relevance=True)[0]["content"]
    assert f"- {NOT_AI}: not about AI" in system
    assert "general software" in system and "`others` when it is about AI" in system
