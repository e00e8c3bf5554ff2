"""arXiv: the API query, paging, and the Atom and JSON Lines parsers, on the saved real days."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import pytest

from core.sources import SourceError, collect, parse_saved
from core.sources.arxiv import parse_jsonl, parse_page, query_params
from core.sources.spec import SourceSpec, load_sources
from tests.core.sources.conftest import ARXIV, demo_bytes, spec_of
from tests.doubles.source_server import SourceServer

DAY = date(2024, 10, 4)


def shipped(server: SourceServer, **changes: object) -> SourceSpec:
    """The shipped arXiv source (cs.AI cs.CL cs.CV cs.LG cs.RO, pages of 200), on the stand-in."""
    spec = next(s for s in load_sources() if s.type == "arxiv")
    return spec.model_copy(update={"url": server.url + ARXIV, "allow_private": True, **changes})


def test_query_params() -> None:
    spec = spec_of("arxiv", categories=("cs.AI", "cs.CL"), page_size=50)
    assert query_params(spec, DAY, 100) == {
        "search_query": "(cat:cs.AI OR cat:cs.CL) AND submittedDate:[202410040000 TO 202410042359]",
        "sortBy": "submittedDate",
        "sortOrder": "descending",
        "start": 100,
        "max_results": 50,
    }


def test_a_saved_day_through_the_api(server: SourceServer, client: httpx.Client) -> None:
    items = collect(client, shipped(server), DAY, sleep=lambda s: None)
    assert len(items) == 138 and len({i.id for i in items}) == 138
    assert server.count(ARXIV) == 1  # one page of 200 holds the day
    paper = next(i for i in items if i.id == "arxiv:2410.03049")
    assert paper.title == (
        "Scalable Frame-based Construction of Sociocultural NormBases for Socially-Aware Dialogues"
    )
    assert paper.arxiv_id == "2410.03049" and paper.url == "https://arxiv.org/abs/2410.03049"
    assert paper.arxiv_categories == ("cs.CL", "cs.AI", "cs.IR", "cs.LG")  # primary first
    assert paper.authors[0] == "Shilin Qu" and len(paper.authors) == 9
    assert paper.published == datetime(2024, 10, 4, 0, 8, 46, tzinfo=UTC)
    assert paper.summary.startswith("Sociocultural norms serve as guiding principles for personal")
    assert all("\n" not in i.summary and "  " not in i.summary for i in items)
    assert all(i.published and i.published.date() == DAY for i in items)
    stamps = [i.published for i in items if i.published]
    assert stamps == sorted(stamps, reverse=True)


def test_pages_politely_until_the_total(
    server: SourceServer, client: httpx.Client, naps: list[float]
) -> None:
    items = collect(client, shipped(server, page_size=50), DAY, sleep=naps.append)
    assert len(items) == 138 and len({i.id for i in items}) == 138
    assert server.count(ARXIV) == 3
    assert naps == [3.0, 3.0]  # between pages, not before the first


def test_stops_at_max_items(server: SourceServer, client: httpx.Client) -> None:
    items = collect(client, shipped(server, page_size=50, max_items=60), DAY, sleep=lambda s: None)
    assert len(items) == 60 and server.count(ARXIV) == 2


def test_categories_filter_and_an_empty_day(server: SourceServer, client: httpx.Client) -> None:
    robots = collect(client, shipped(server, categories=("cs.RO",)), DAY, sleep=lambda s: None)
    assert 0 < len(robots) < 138 and all("cs.RO" in i.arxiv_categories for i in robots)
    assert collect(client, shipped(server), date(2024, 10, 5), sleep=lambda s: None) == []


def test_api_and_saved_jsonl_give_the_same_items(
    server: SourceServer, client: httpx.Client
) -> None:
    spec = shipped(server)
    from_api = collect(client, spec, DAY, sleep=lambda s: None)
    saved = parse_saved(spec, demo_bytes("arxiv_cs.AI_2024-10-04.jsonl"))
    assert len(saved) == 138
    assert {i.id: i for i in from_api} == {i.id: i for i in saved}


def test_injected_markup_is_text_without_scripts(
    server: SourceServer, client: httpx.Client
) -> None:
    server.set_fault(ARXIV, "inject")
    [item] = collect(client, shipped(server), DAY, sleep=lambda s: None)
    assert item.title == "Launch <!channel> @everyone notes"
    assert "@everyone <!channel>" in item.summary and "alert(1)" not in item.summary


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("malformed", "arxiv: the API response is malformed XML"),
        ("html", "arxiv: got an HTML page instead of an Atom feed"),
    ],
)
def test_bad_documents(
    server: SourceServer, client: httpx.Client, fault: str, message: str
) -> None:
    server.set_fault(ARXIV, fault)
    with pytest.raises(SourceError, match=message):
        collect(client, shipped(server), DAY, sleep=lambda s: None)


def test_empty_answer_is_no_papers(server: SourceServer, client: httpx.Client) -> None:
    server.set_fault(ARXIV, "empty")
    assert collect(client, shipped(server), DAY, sleep=lambda s: None) == []
    assert server.count(ARXIV) == 1


def test_api_error_entry_is_a_source_error() -> None:
    # What arXiv sends for a bad query: a feed whose one entry is the error.
    doc = b"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id>
  <title>Error</title><summary>incorrect id format for 1234</summary></entry>
</feed>"""
    spec = spec_of("arxiv")
    with pytest.raises(SourceError, match="refused the query: incorrect id format for 1234"):
        parse_page(doc, spec)


def test_jsonl_line_that_is_not_a_paper() -> None:
    spec = spec_of("arxiv")
    with pytest.raises(SourceError, match="arxiv: line 2 is not a saved paper"):
        parse_jsonl(b'{"id": "2410.00001", "title": "A"}\n{"title": "no id"}\n', spec)
