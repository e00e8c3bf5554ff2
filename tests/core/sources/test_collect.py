"""`collect` and `parse_saved`, the public API, for every source type against every fault."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import httpx
import pytest

from core.items import Item
from core.sources import SourceError, collect, parse_saved
from tests import ROOT
from tests.core.sources.conftest import ARXIV, HF, HN, OPENAI, demo_bytes, make_spec, spec_of
from tests.doubles.source_server import SourceServer

# type -> (path on the stand-in, day, items that day with no fault)
CASES = {
    "arxiv": (ARXIV, date(2024, 10, 4), 138),
    "hf_daily": (HF, date(2024, 10, 4), 21),
    "feed": (OPENAI, date(2025, 7, 28), 50),
    "hn": (HN, date(2026, 3, 22), 30),
}
TYPES = sorted(CASES)


def run(server: SourceServer, client: httpx.Client, type_: str, naps: list[float]) -> list[Item]:
    path, day, _ = CASES[type_]
    cap = 50 if type_ == "feed" else 500
    spec = make_spec(server, type_, path, categories=["cs.AI"], page_size=200, max_items=cap)
    return collect(client, spec, day, None, sleep=naps.append)


@pytest.mark.parametrize("type_", TYPES)
def test_every_source_collects_its_saved_day(
    server: SourceServer, client: httpx.Client, naps: list[float], type_: str
) -> None:
    items = run(server, client, type_, naps)
    assert len(items) == CASES[type_][2]
    assert all(i.source == type_.replace("_", "-") for i in items)


@pytest.mark.parametrize("type_", TYPES)
@pytest.mark.parametrize(
    ("fault", "says"),
    [
        ("status:500", "HTTP 500"),
        ("status:404", "HTTP 404"),
        ("oversized", "byte limit"),
        ("html", "HTML page"),
        ("malformed", "malformed|not valid JSON"),
    ],
)
def test_every_fault_is_a_clear_source_error(
    server: SourceServer,
    client: httpx.Client,
    naps: list[float],
    type_: str,
    fault: str,
    says: str,
) -> None:
    server.set_fault(CASES[type_][0], fault)
    with pytest.raises(SourceError, match=says) as e:
        run(server, client, type_, naps)
    message = str(e.value)
    assert message.startswith(type_.replace("_", "-") + ": ")
    assert "Traceback" not in message and len(message) < 300


@pytest.mark.parametrize("type_", TYPES)
def test_hang_times_out(
    server: SourceServer, impatient_client: httpx.Client, naps: list[float], type_: str
) -> None:
    server.set_fault(CASES[type_][0], "hang:3")
    with pytest.raises(SourceError, match="timed out; tried 4 times, giving up"):
        run(server, impatient_client, type_, naps)
    assert naps == [1.0, 2.0, 4.0]  # exponential backoff between the 4 tries


@pytest.mark.parametrize("type_", TYPES)
def test_throttled_once_then_the_same_items(
    server: SourceServer, client: httpx.Client, naps: list[float], type_: str
) -> None:
    server.set_fault(CASES[type_][0], "429-then-ok")
    assert len(run(server, client, type_, naps)) == CASES[type_][2]
    assert server.count(CASES[type_][0]) == 2 and naps == [1.0]


@pytest.mark.parametrize("type_", TYPES)
def test_empty_answer_is_no_items(
    server: SourceServer, client: httpx.Client, naps: list[float], type_: str
) -> None:
    server.set_fault(CASES[type_][0], "empty")
    assert run(server, client, type_, naps) == []


@pytest.mark.parametrize(
    ("type_", "name", "count"),
    [
        ("arxiv", "arxiv_cs.AI_2024-10-01.jsonl", 98),
        ("hf_daily", "hf_daily_papers_2024-10-01.json", 11),
        ("feed", "openai_news_rss_2025-07-28.xml", 25),  # capped to max_items, undated
        ("feed", "geeknews_ko_atom_2026-09-29.xml", 25),
    ],
)
def test_parse_saved(type_: str, name: str, count: int) -> None:
    cap = 25 if type_ == "feed" else 600
    spec = spec_of(type_, "saved:", name="saved", max_items=cap)
    items = parse_saved(spec, demo_bytes(name))
    assert len(items) == count and all(i.source == "saved" for i in items)


def test_the_stand_in_as_a_process_with_faults_over_http() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.doubles.source_server", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().rsplit(" ", 1)[-1].strip()  # "... listening on http://..."
        assert url.startswith("http://127.0.0.1:")
        spec = spec_of("hn", url + HN, name="hackernews", allow_private=True)
        with httpx.Client(timeout=5) as c:
            r = c.post(url + "/_faults", json={"prefix": "/hn/", "fault": "status:503"})
            assert r.json()["faults"] == {"/hn/": "status:503"}
            with pytest.raises(SourceError, match="HTTP 503"):
                collect(c, spec, date(2026, 3, 22), None, sleep=lambda s: None)
            assert c.get(url + "/_counts").json() == {HN: 4}  # 503 is retried 3 times
            c.post(url + "/_reset", json={})
            assert len(collect(c, spec, date(2026, 3, 22), None)) == 30
            assert c.get(url + "/_counts").json() == {HN: 1}
    finally:
        proc.terminate()
        assert proc.wait(timeout=5) == 0
