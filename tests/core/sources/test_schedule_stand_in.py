"""The schedule stand-in releases its world on arXiv's schedule, by its clock, over real HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from core.sources.arxiv_calendar import ET, ArxivCalendar
from tests.doubles.schedule_server import ScheduleServer
from tests.doubles.schedule_world import ARXIV_HOLIDAYS, LATE_HOURS, arxiv_announcement

FIRST = date(2023, 11, 3)


@pytest.fixture(scope="module")
def world() -> Iterator[ScheduleServer]:
    with ScheduleServer(FIRST, 25) as server:
        yield server


def test_two_independent_readings_of_the_schedule_agree() -> None:
    """The stand-in's rule (deadline first, then defer past holidays) and core's calendar
    (announcement windows) give every submission of a year the same announcement."""
    calendar = ArxivCalendar(ARXIV_HOLIDAYS)
    at = datetime(2023, 1, 1, tzinfo=UTC)
    while at < datetime(2024, 12, 31, tzinfo=UTC):
        assert arxiv_announcement(at, ARXIV_HOLIDAYS) == calendar.announcement_of(at), at
        at += timedelta(minutes=97)


def test_papers_reach_the_api_at_midnight_after_their_announcement(
    world: ScheduleServer,
) -> None:
    paper = world.papers[20]
    query = {
        "search_query": f"submittedDate:[{paper.submitted:%Y%m%d%H%M} TO "
        f"{paper.submitted:%Y%m%d%H%M}]",
        "max_results": 10,
    }
    url = world.url + "/arxiv/api/query"
    world.set_now(paper.announced + timedelta(hours=3, minutes=59))
    assert paper.id not in httpx.get(url, params=query).text
    world.set_now(paper.announced + timedelta(hours=4))
    assert f"{paper.id}v1" in httpx.get(url, params=query).text
    assert paper.announced.astimezone(ET).hour == 20


def test_thanksgiving_has_no_announcement(world: ScheduleServer) -> None:
    evenings = {p.announced.astimezone(ET).date() for p in world.papers}
    assert date(2023, 11, 23) not in evenings
    assert all(e.weekday() in (6, 0, 1, 2, 3) for e in evenings)


def test_the_clock_is_set_over_http(world: ScheduleServer) -> None:
    url = world.url
    at = datetime(2023, 11, 10, 12, tzinfo=UTC)
    assert httpx.post(url + "/_clock", json={"now": at.isoformat()}).status_code == 200
    assert world.now == at
    truth = httpx.get(url + "/_released").json()
    assert truth["now"] == at.isoformat()
    assert all(
        datetime.fromisoformat(p["announced"]) + timedelta(hours=4) <= at for p in truth["arxiv"]
    )
    assert httpx.post(url + "/_clock", json={"now": "2023-11-10T12:00"}).status_code == 400
    assert httpx.post(url + "/_clock", json={}).status_code == 400


def test_hugging_face_fills_a_date_through_the_day(world: ScheduleServer) -> None:
    url = world.url + "/hf/api/daily_papers"
    day = date(2023, 11, 12)
    counts = []
    for hour in (1, 3, 12, 23):
        world.set_now(datetime(2023, 11, 12, hour, tzinfo=UTC))
        counts.append(len(httpx.get(url, params={"date": day.isoformat()}).json()))
    assert counts == sorted(counts) and counts[0] == 0 and counts[-1] == 5
    entry = httpx.get(url, params={"date": day.isoformat()}).json()[0]
    assert set(entry) >= {"paper", "publishedAt", "numComments"}
    assert entry["paper"]["upvotes"] > 0 and entry["paper"]["id"]
    assert httpx.get(url, params={"date": "12/11/2023"}).status_code == 400


def test_the_feed_shows_some_posts_late(world: ScheduleServer) -> None:
    late = next(p for p in world.posts if p.appears > p.dated)
    assert late.appears - late.dated == timedelta(hours=LATE_HOURS)
    world.set_now(late.dated + timedelta(hours=1))
    assert late.link not in httpx.get(world.url + "/feeds/openai.xml").text
    world.set_now(late.appears)
    body = httpx.get(world.url + "/feeds/openai.xml").text
    assert late.link in body and body.count("<item>") <= 30


def test_counts(world: ScheduleServer) -> None:
    before = world.counts().get("/feeds/openai.xml", 0)
    httpx.get(world.url + "/feeds/openai.xml")
    assert json.loads(httpx.get(world.url + "/_counts").text)["/feeds/openai.xml"] == before + 1
