"""Hugging Face Daily Papers: both schemas, served by the stand-in from the saved responses."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import pytest

from core.sources import SourceError, collect
from core.sources.hf_daily import parse
from core.sources.http import fetch
from tests.core.sources.conftest import ARXIV, HF, make_spec, spec_of
from tests.doubles.source_server import SourceServer

DAY = date(2024, 10, 4)
OFFLINE = spec_of("hf_daily", name="hf-daily-papers")


def test_a_saved_day(server: SourceServer, client: httpx.Client) -> None:
    items = collect(client, make_spec(server, "hf_daily", HF), DAY)
    assert len(items) == 21 and server.count(HF) == 1
    top = items[0]
    assert top.id == "arxiv:2410.02740" and top.arxiv_id == "2410.02740"
    assert top.title == (
        "Revisit Large-Scale Image-Caption Data in Pre-training Multimodal Foundation Models"
    )  # HF's paper.title keeps arXiv's hard wraps; they are collapsed
    assert top.url == "https://huggingface.co/papers/2410.02740"
    assert (top.upvotes, top.comments) == (34, 1)
    assert top.authors[:2] == ("Zhengfeng Lai", "Vasileios Saveris")
    assert top.published == datetime(2024, 10, 3, 17, 54, 52, tzinfo=UTC)
    assert top.summary.startswith("Recent advancements in multimodal models highlight the value")
    assert [i.upvotes for i in items] == sorted((i.upvotes for i in items), reverse=True)


def test_ids_unite_with_the_arxiv_entries(server: SourceServer, client: httpx.Client) -> None:
    hf = collect(client, make_spec(server, "hf_daily", HF), DAY)
    arxiv = make_spec(server, "arxiv", ARXIV, categories=["cs.AI"])
    papers = {i.id: i for i in collect(client, arxiv, date(2024, 10, 3), sleep=lambda s: None)}
    shared = [i for i in hf if i.id in papers]
    assert "arxiv:2410.02740" in {i.id for i in shared}
    assert all(i.title == papers[i.id].title for i in shared)


def test_max_items_keeps_the_most_upvoted(server: SourceServer, client: httpx.Client) -> None:
    items = collect(client, make_spec(server, "hf_daily", HF, max_items=3), DAY)
    assert [i.upvotes for i in items] == [34, 26, 26]


def test_a_date_with_no_list_is_no_papers(server: SourceServer, client: httpx.Client) -> None:
    assert collect(client, make_spec(server, "hf_daily", HF), date(2024, 10, 6)) == []


def test_newer_schema(server: SourceServer, client: httpx.Client) -> None:
    items = parse(fetch(client, server.url + HF, allow_private=True).body, OFFLINE)  # 2026
    assert len(items) == 30
    assert (items[0].id, items[0].upvotes, items[0].comments) == ("arxiv:2607.28618", 292, 2)
    assert (
        items[0].title
        == "AskChem: Claim-Centered Infrastructure for Chemistry Literature Synthesis"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"1", "expected a JSON list of papers, got a JSON number"),
        (b'{"error": "Invalid date"}', "the API answered with an error: Invalid date"),
        (b"[{", "the response is not valid JSON"),
    ],
)
def test_not_a_list_of_papers(body: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=f"^hf-daily-papers: {message}"):
        parse(body, OFFLINE)


def test_entries_without_a_paper_id_are_skipped() -> None:
    assert parse(b'[{"paper": {"title": "x"}}, {"title": "y"}, 3]', OFFLINE) == []


def test_truncated_answer(server: SourceServer, client: httpx.Client) -> None:
    server.set_fault(HF, "malformed")
    with pytest.raises(SourceError, match="hf-daily: the response is not valid JSON"):
        collect(client, make_spec(server, "hf_daily", HF), DAY)


def test_injected_markup_is_text_without_scripts(
    server: SourceServer, client: httpx.Client
) -> None:
    server.set_fault(HF, "inject")
    [item] = collect(client, make_spec(server, "hf_daily", HF), DAY)
    assert item.title == "Launch <!channel> @everyone notes"
    assert item.authors == ("<!channel>",) and "alert(1)" not in item.summary
    assert item.upvotes == 7
