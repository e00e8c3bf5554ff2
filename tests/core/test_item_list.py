"""items.jsonl: every item of the day, one line each, round-tripped."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from core.item_list import dumps, loads, rows
from tests.core.builders import paper, story

PAPER = paper(
    "arxiv:2410.01141",
    "Evaluating Deduplication Techniques",
    url="https://arxiv.org/abs/2410.01141",
    published=datetime(2024, 10, 1, 17, 52, 21, tzinfo=UTC),
    arxiv_id="2410.01141",
    also_in=("hf-daily-papers",),
)
STORY = story(
    "url:0123456789abcdef", "긱뉴스: 한국어 제목", "geeknews", url="https://news.hada.io/topic?id=1"
)


def test_rows_and_lines() -> None:
    listed = rows([PAPER, STORY], {PAPER.id: "llm"}, {STORY.id: "not-ai"})
    assert [r.kind for r in listed] == ["news", "papers"]
    text = dumps(listed)
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines[1] == {
        "id": "2410.01141",
        "source": "arxiv",
        "kind": "papers",
        "category": "llm",
        "title": "Evaluating Deduplication Techniques",
        "url": "https://arxiv.org/abs/2410.01141",
        "published": "2024-10-01T17:52:21+00:00",
        "also_in": ["hf-daily-papers"],
    }
    assert lines[0]["left_out"] == "not-ai" and "category" not in lines[0]
    assert "한국어" in text  # not \uXXXX
    assert loads(text) == listed


def test_an_item_without_a_label_says_so() -> None:
    (only,) = rows([STORY], {})
    assert only.category is None and only.left_out == "unlabelled"


def test_a_bad_line_is_named() -> None:
    with pytest.raises(ValueError, match=r"items\.jsonl: line 2 is not an item row"):
        loads(dumps(rows([STORY], {STORY.id: "x"})) + '{"id": 1}\n')
