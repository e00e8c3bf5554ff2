"""arXiv by announcement: the release of a digest's window, and the API queries that fetch it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from core.items import Item
from core.sources import make_client
from core.sources.arxiv_calendar import ET, ArxivCalendar
from core.sources.arxiv_window import (
    API_SETTLE,
    Release,
    collect_spans,
    page_params,
    release,
    submitted_query,
)
from core.sources.spec import SourceSpec
from core.watermark import Mark, Offer, take
from tests.core.sources.conftest import ARXIV
from tests.doubles.schedule_server import ScheduleServer
from tests.doubles.source_server import SourceServer

SEOUL = ZoneInfo("Asia/Seoul")
CAL = ArxivCalendar.shipped()
FIRST = date(2023, 11, 3)  # Friday; US clocks fall back on Sunday 5 November, Thanksgiving 23rd


def spec_for(url: str, **kw: object) -> SourceSpec:
    return SourceSpec.model_validate(
        {
            "name": "arxiv",
            "type": "arxiv",
            "kind": "papers",
            "url": url,
            "categories": ["cs.AI", "cs.CL", "cs.CV", "cs.LG", "cs.RO"],
            "page_size": 200,
            "allow_private": True,  # the stand-in listens on 127.0.0.1
            **kw,
        }
    )


def morning(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 7, tzinfo=SEOUL)


@pytest.fixture(scope="module")
def world() -> Iterator[ScheduleServer]:
    with ScheduleServer(FIRST, 25) as server:
        yield server


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with make_client(timeout=5.0) as c:
        yield c


def test_tuesday_morning_gets_sundays_announcement() -> None:
    plan = release(CAL, morning(date(2024, 10, 21)), morning(date(2024, 10, 22)))
    assert [a.astimezone(ET).strftime("%a %H:%M") for a in plan.announcements] == ["Sun 20:00"]
    held, own = plan.windows  # Thursday's window is asked again, for papers held a day
    assert own == (datetime(2024, 10, 17, 14, tzinfo=ET), datetime(2024, 10, 18, 14, tzinfo=ET))
    assert held[1] == own[0] and plan.submitted == own
    assert plan.next_announcement == datetime(2024, 10, 21, 20, tzinfo=ET)
    assert plan.silent == ()  # Friday and Saturday evenings were Sunday's and Monday's
    assert plan.horizon == held[0]


def test_sunday_and_monday_mornings_get_nothing() -> None:
    for d in (date(2024, 10, 20), date(2024, 10, 21)):
        plan = release(CAL, morning(d - timedelta(days=1)), morning(d))
        assert plan.announcements == () and plan.windows == () and plan.submitted is None
        assert [w for _, w in plan.silent] == ["weekend"]
        assert plan.next_announcement == datetime(2024, 10, 20, 20, tzinfo=ET)
        thursday = datetime(2024, 10, 16, 14, tzinfo=ET)  # its window is re-asked on Tuesday
        assert plan.horizon == thursday


def test_an_announcement_counts_once_the_api_has_it() -> None:
    announced = datetime(2024, 10, 22, 20, tzinfo=ET)
    early = release(CAL, announced - timedelta(hours=2), announced + timedelta(hours=3))
    assert early.announcements == ()  # the API serves it from midnight ET
    later = release(CAL, announced - timedelta(hours=2), announced + timedelta(hours=4))
    assert later.announcements == (announced,)


def test_query_is_in_gmt_minutes_with_an_inclusive_end() -> None:
    span = (datetime(2024, 10, 17, 14, tzinfo=ET), datetime(2024, 10, 18, 14, tzinfo=ET))
    spec = spec_for("x", categories=["cs.AI", "cs.CL"], page_size=5000)
    assert submitted_query(spec, span) == (
        "(cat:cs.AI OR cat:cs.CL) AND submittedDate:[202410171800 TO 202410181759]"
    )
    params = page_params(spec, span, 400)
    assert params["max_results"] == 2000 and params["start"] == 400  # the API's page limit
    assert params["sortOrder"] == "ascending"


def test_a_saved_day_through_the_api(client: httpx.Client) -> None:
    """The bundled real day 2024-10-04 (UTC), asked as a span of the stand-in of saved days."""
    with SourceServer() as saved:
        span = (datetime(2024, 10, 4, tzinfo=UTC), datetime(2024, 10, 5, tzinfo=UTC))
        naps: list[float] = []
        items = collect_spans(
            client, spec_for(saved.url + ARXIV, page_size=50), [span], sleep=naps.append
        )
        assert len(items) == 138 and saved.count(ARXIV) == 3
        assert naps == [3.0, 3.0]  # arXiv's three seconds between requests
        stamps = [i.published for i in items]
        assert stamps == sorted(s for s in stamps if s is not None)


def test_the_api_refuses_what_the_manual_refuses(
    world: ScheduleServer, client: httpx.Client
) -> None:
    url = world.url + "/arxiv/api/query"
    for params in (
        {"max_results": 2001},
        {"start": 30000},
        {"search_query": "submittedDate:[1 TO 2]"},
    ):
        body = client.get(url, params=params).content
        assert b"/api/errors" in body


def _no(_: float) -> None:
    pass


def first_horizon(plan: Release) -> datetime:
    """A first digest takes its own announcements only, not the held window before them."""
    return plan.submitted[0] if plan.submitted else plan.end


def play(
    world: ScheduleServer, client: httpx.Client, days: list[date]
) -> tuple[dict[str, list[Item]], Mark]:
    """A digest each morning: release → API → watermark. Returns each day's new papers."""
    spec = spec_for(world.url + "/arxiv/api/query")
    mark, got = Mark(), {}
    previous = morning(days[0] - timedelta(days=1))
    for d in days:
        now = morning(d)
        world.set_now(now)
        plan = release(CAL, mark.released_to or previous, now)
        items = collect_spans(client, spec, plan.windows, sleep=_no)
        offers = [Offer(i.id, i.published) for i in items]
        taken, mark = take(
            mark,
            "arxiv",
            d.isoformat(),
            offers,
            start=previous,
            end=now,
            fetched_at=now,
            horizon=first_horizon(plan) if mark.released_to is None else plan.horizon,
        )
        by_id = {i.id: i for i in items}
        got[d.isoformat()] = [by_id[i] for i in taken.ids]
    return got, mark


def test_mornings_get_every_announced_paper_exactly_once(
    world: ScheduleServer, client: httpx.Client
) -> None:
    days = [FIRST + timedelta(days=n) for n in range(2, 24)]  # Sun 5 Nov … Sun 26 Nov
    got, _ = play(world, client, days)
    seen = [i.id for items in got.values() for i in items]
    assert len(seen) == len(set(seen)), "a paper reached two digests"
    ours = {"cs.AI", "cs.CL", "cs.CV", "cs.LG", "cs.RO"}
    first_morning = morning(days[0] - timedelta(days=1))
    due = {
        f"arxiv:{p.id}"
        for p in world.papers
        if p.in_api(morning(days[-1]))
        and p.announced + API_SETTLE > first_morning
        and ours & set(p.categories)
    }
    assert due and set(seen) == due
    counts = {d: len(v) for d, v in got.items()}
    for d, n in counts.items():  # Sunday and Monday mornings in Seoul: no announcement
        weekday = date.fromisoformat(d).weekday()
        assert (n == 0) == (weekday in (6, 0) or d == "2023-11-25"), (d, n)  # + Thanksgiving


def test_a_held_paper_comes_the_day_after(world: ScheduleServer, client: httpx.Client) -> None:
    held = world.papers[7]
    assert world.papers[7].announced > CAL.announcement_of(held.submitted)
    days = [FIRST + timedelta(days=n) for n in range(0, 8)]
    got, _ = play(world, client, days)
    where = [d for d, items in got.items() if f"arxiv:{held.id}" in {i.id for i in items}]
    arrived = held.announced + timedelta(hours=4)
    assert len(where) == 1 and morning(date.fromisoformat(where[0])) >= arrived


def test_a_replaced_paper_is_not_news_again(world: ScheduleServer, client: httpx.Client) -> None:
    paper = world.papers[11]
    assert paper.replaced and paper.replaced_announced
    days = [FIRST + timedelta(days=n) for n in range(0, 14)]
    got, _ = play(world, client, days)
    assert paper.version(morning(days[-1])) == 2
    where = [d for d, items in got.items() if f"arxiv:{paper.id}" in {i.id for i in items}]
    assert len(where) == 1  # the v2 window's query matched it (the stand-in is unkind): dropped
    when = [i.published for items in got.values() for i in items if i.id == f"arxiv:{paper.id}"]
    assert when == [paper.submitted]


def test_the_v2_window_does_not_return_the_replaced_paper(
    world: ScheduleServer, client: httpx.Client
) -> None:
    paper = world.papers[11]
    assert paper.replaced and paper.replaced_announced
    world.set_now(paper.replaced_announced + timedelta(hours=5))
    v2_window = CAL.submission_window(CAL.announcement_of(paper.replaced))
    spec = spec_for(world.url + "/arxiv/api/query")
    raw = client.get(spec.url, params=page_params(spec, v2_window, 0)).text
    assert f"{paper.id}v2" in raw  # the stand-in's date filter matched the new version …
    items = collect_spans(client, spec, [v2_window], sleep=_no)
    assert f"arxiv:{paper.id}" not in {i.id for i in items}  # … and we drop it
    assert items and all(i.published and v2_window[0] <= i.published for i in items)
