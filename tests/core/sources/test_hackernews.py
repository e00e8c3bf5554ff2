"""Hacker News via Algolia: query building, window and points filters, OR terms, bad answers."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import pytest

from core.items import url_item_id
from core.sources import SourceError, collect
from core.sources.hackernews import parse, query_params
from core.sources.spec import SourceSpec, load_sources
from tests.core.sources.conftest import HN, spec_of
from tests.doubles.source_server import SourceServer

DAY = date(2026, 3, 22)
WINDOW = (datetime(2026, 3, 21, tzinfo=UTC), datetime(2026, 3, 22, tzinfo=UTC))


def shipped(server: SourceServer, **changes: object) -> SourceSpec:
    spec = next(s for s in load_sources() if s.type == "hn")
    update = {"url": server.url + HN, "allow_private": True, "linked_pages": False}
    return spec.model_copy(update={**update, **changes})


def test_query_params_for_or_terms_filter_client_side() -> None:
    spec = spec_of("hn", query="AI OR LLM", min_points=50, max_items=30)
    assert query_params(spec, WINDOW) == {
        "tags": "story",
        "numericFilters": "created_at_i>=1774051200,created_at_i<1774137600,points>=50",
        "hitsPerPage": 1000,
    }
    one = spec.model_copy(update={"query": "LLM"})
    assert query_params(one, None) == {
        "tags": "story",
        "numericFilters": "points>=50",
        "query": "LLM",
        "hitsPerPage": 30,
    }


def test_window_and_points(server: SourceServer, client: httpx.Client) -> None:
    items = collect(client, shipped(server, query="", min_points=100), DAY, WINDOW)
    assert len(items) == 12 and server.count(HN) == 1
    assert all(i.published and WINDOW[0] <= i.published < WINDOW[1] for i in items)
    assert all(i.points >= 100 for i in items)
    assert [i.points for i in items] == sorted((i.points for i in items), reverse=True)
    tinybox = next(i for i in items if i.title == "Tinybox – Offline AI device 120B parameters")
    assert tinybox.url == "https://tinygrad.org/#tinybox"
    assert tinybox.id == url_item_id("https://tinygrad.org")  # canonical: no fragment
    assert tinybox.points == 412 and tinybox.comments == 137
    assert tinybox.published == datetime(2026, 3, 21, 20, 8, 37, tzinfo=UTC)


def test_no_window_means_any_time(server: SourceServer, client: httpx.Client) -> None:
    items = collect(client, shipped(server, query="", min_points=0, max_items=100), DAY, None)
    assert len(items) == 30


def test_shipped_or_query_keeps_only_matching_titles(
    server: SourceServer, client: httpx.Client
) -> None:
    items = collect(client, shipped(server, min_points=0), DAY, None)
    assert sorted(i.title for i in items) == [
        "Meta's Omnilingual MT for 1,600 Languages",  # on ai.meta.com: the URL names a term
        "The Impact of AI on Game Dev Jobs. Open to Work Crisis",
        "Thinking Fast, Slow, and Artificial: How AI Is Reshaping Human Reasoning",
        "Tinybox – Offline AI device 120B parameters",
    ]


def test_single_word_query_is_left_to_algolia(server: SourceServer, client: httpx.Client) -> None:
    items = collect(client, shipped(server, query="rust", min_points=0), DAY, None)
    assert {i.title for i in items} == {
        "Show HN: Termcraft – terminal-first 2D sandbox survival in Rust",
        "Grafeo – A fast, lean, embeddable graph database built in Rust",
    }


def test_story_without_url_links_to_the_discussion_and_markup_is_text(
    server: SourceServer, client: httpx.Client
) -> None:
    server.set_fault(HN, "inject")
    [item] = collect(client, shipped(server, query=""), DAY, None)
    assert item.url == "https://news.ycombinator.com/item?id=47474255"
    assert item.title == "Launch <!channel> @everyone notes"
    assert item.summary == "Hello @everyone <!channel> & all bold"


def test_throttled_then_answers(
    server: SourceServer, client: httpx.Client, naps: list[float]
) -> None:
    server.set_fault(HN, "429-then-ok")
    items = collect(client, shipped(server, query=""), DAY, WINDOW, sleep=naps.append)
    assert len(items) == 14 and server.count(HN) == 2 and naps == [1.0]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"hits": [', "hackernews: the response is not valid JSON"),
        (b'{"message": "Invalid numericFilters"}', "hackernews: the response has no list of hits"),
    ],
)
def test_bad_answers(body: bytes, message: str) -> None:
    spec = spec_of("hn", name="hackernews")
    with pytest.raises(SourceError, match=message):
        parse(body, spec)
