"""`/aidigest search WORDS [kind] [category]` in the shared grammar (pure)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.query import QueryError, SearchQuery, parse
from core.taxonomy import load_taxonomy

TX = load_taxonomy()
TODAY = date(2024, 10, 6)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("search diffusion models", SearchQuery("diffusion models")),
        ("/aidigest search 에이전트", SearchQuery("에이전트")),
        ("search agents papers", SearchQuery("agents", kind="papers")),
        ("search agents llm", SearchQuery("agents", category="llm")),
        (
            "search robot grasping papers robotics",
            SearchQuery("robot grasping", "papers", "robotics"),
        ),
        (
            "search robot grasping robotics papers",
            SearchQuery("robot grasping", "papers", "robotics"),
        ),
        ("search 모델 논문 cv", SearchQuery("모델", "papers", "computer-vision")),
        ("검색 확산 모델", SearchQuery("확산 모델")),
        ("search llm", SearchQuery("llm")),  # one word is what to find, not a filter
        ("search agent", SearchQuery("agent")),  # no category prefix match at the end
        ("search agents news cv", SearchQuery("agents", "news", "computer-vision")),
        ("search agents news rl", SearchQuery("agents", category="rl")),  # rl: papers only
    ],
)
def test_search(text: str, expected: SearchQuery) -> None:
    assert parse(text, TX, TODAY) == expected


@pytest.mark.parametrize("text", ["search", "search papers", "search   ", "search news papers"])
def test_search_without_words_says_what_would_work(text: str) -> None:
    got = parse(text, TX, TODAY)
    assert isinstance(got, QueryError)
    assert "/aidigest search" in got.message


def test_search_words_too_long() -> None:
    got = parse("search " + "word " * 60, TX, TODAY)
    assert isinstance(got, QueryError) and "200" in got.message


@given(st.text(max_size=300))
def test_any_search_text_is_a_query_or_a_clear_error(words: str) -> None:
    got = parse("search " + words, TX, TODAY)
    assert isinstance(got, SearchQuery | QueryError)
    if isinstance(got, SearchQuery):
        assert got.words.strip() and len(got.words) <= 200
