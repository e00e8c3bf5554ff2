"""The source stand-in plays any day: its news dated just before, that day's own items, and the
saved papers served later under ids of their own (a digest takes an item once)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import httpx
import pytest

from core.sources.arxiv import parse_page
from core.sources.feed import parse
from tests.core.sources.conftest import ARXIV, GEEKNEWS, OPENAI, spec_of
from tests.doubles.source_server import SourceServer, relabel

SPEC = spec_of("feed", name="s")
PAPERS = spec_of("arxiv", name="a")


@pytest.fixture
def clocked(server: SourceServer) -> Iterator[SourceServer]:
    """The shared stand-in, its clock put back afterwards (its /_reset leaves the clock)."""
    yield server
    server.set_clock(None, 0)


def links(server: SourceServer, path: str) -> set[str]:
    return {i.url for i in parse(httpx.get(server.url + path).content, SPEC)}


def test_each_played_day_has_its_own_news(clocked: SourceServer) -> None:
    server = clocked
    saved = links(server, OPENAI)
    server.set_clock(news_at=datetime(2024, 10, 5, 21, tzinfo=UTC))
    fifth = links(server, OPENAI)
    server.set_clock(news_at=datetime(2024, 10, 6, 21, tzinfo=UTC))
    sixth = links(server, OPENAI)
    assert len(fifth) == len(sixth) == len(saved) and not fifth & sixth
    assert all(u.endswith("day=2024-10-05") for u in fifth)
    korean = links(server, GEEKNEWS)  # Atom, links with a query already
    assert all("?id=" in u and u.endswith("&day=2024-10-06") for u in korean)


def test_saved_papers_served_later_are_new_papers(clocked: SourceServer) -> None:
    server = clocked
    query = {"search_query": "submittedDate:[202410111800 TO 202410121759]", "max_results": 500}
    server.set_clock(None, papers_lag=7)  # 2024-10-11/12 as the saved 2024-10-04/05
    later, total = parse_page(httpx.get(server.url + ARXIV, params=query).content, PAPERS)
    server.set_clock(None, 0)
    query["search_query"] = "submittedDate:[202410041800 TO 202410051759]"
    saved, _ = parse_page(httpx.get(server.url + ARXIV, params=query).content, PAPERS)
    assert total == len(later) == len(saved) > 10
    assert {p.arxiv_id for p in later} == {relabel(p.arxiv_id or "", 7) for p in saved}
    assert all(p.published and p.published.date() >= date(2024, 10, 11) for p in later)
    assert relabel("2410.01234", 7) == "2410.08234" != relabel("2410.01234", 14)
