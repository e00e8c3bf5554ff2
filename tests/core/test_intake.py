"""Intake over 21 mornings of the schedule stand-in: every released item reaches one digest.

arXiv (real papers on arXiv's schedule, with a held and a replaced paper), Hugging Face Daily
Papers (already-announced papers listed days later, and papers of elsewhere) and a feed that
shows some posts nine hours late, taken each morning at 07:00 Asia/Seoul from 2023-11-05 (the
day US clocks fall back) to 2023-11-25 (the Saturday after Thanksgiving), with one build
missed and one run twice, through `core.watermarks.intake` on watermarks kept in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from core.intake import Asking, Intake, replay_day
from core.items import Item
from core.sources import make_client
from core.sources.spec import SourceSpec
from core.watermark import Mark, Take
from core.watermarks import MemoryWatermarks, intake
from tests.core.sources.conftest import make_spec
from tests.doubles.schedule_server import ScheduleServer

SEOUL = ZoneInfo("Asia/Seoul")
FIRST = date(2023, 11, 3)
MORNINGS = [date(2023, 11, 5) + timedelta(days=n) for n in range(21)]
MISSED = date(2023, 11, 9)
TWICE = date(2023, 11, 14)
CATEGORIES = ("cs.AI", "cs.CL", "cs.CV", "cs.LG", "cs.RO")


def morning(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 7, tzinfo=SEOUL)


def specs(world: ScheduleServer) -> list[SourceSpec]:
    return [
        make_spec(world, "arxiv", "/arxiv/api/query", categories=CATEGORIES, page_size=200),
        make_spec(world, "hf_daily", "/hf/api/daily_papers", name="hf"),
        make_spec(world, "feed", "/feeds/openai.xml", name="openai"),
    ]


def build(
    marks: MemoryWatermarks, client: httpx.Client, spec: SourceSpec, d: date, now: datetime
) -> Intake:
    return intake(
        marks,
        Asking(client, spec, sleep=_no),
        d.isoformat(),
        start=morning(d - timedelta(days=1)),
        end=morning(d),
        fetched_at=now,
    )


def _no(_: float) -> None:
    pass


@dataclass
class Played:
    days: dict[str, dict[str, Intake]]  # day -> source -> intake
    marks: MemoryWatermarks
    last: datetime


@pytest.fixture(scope="module")
def played() -> Iterator[tuple[ScheduleServer, Played]]:
    with ScheduleServer(FIRST, 25) as world, make_client(timeout=5.0) as client:
        marks, days = MemoryWatermarks(), {}
        for d in MORNINGS:
            if d == MISSED:
                continue
            now = morning(d)
            world.set_now(now)
            days[d.isoformat()] = {s.name: build(marks, client, s, d, now) for s in specs(world)}
            if d == TWICE:  # run again in the afternoon: the same day, replayed
                world.set_now(now + timedelta(hours=8))
                again = {s.name: build(marks, client, s, d, now) for s in specs(world)}
                for name, intake in again.items():
                    assert [i.id for i in intake.items] == [
                        i.id for i in days[d.isoformat()][name].items
                    ]
        yield world, Played(days, marks, morning(MORNINGS[-1]))


def ids(played: Played, source: str, field_: str = "items") -> list[str]:
    return [i.id for day in played.days.values() for i in getattr(day[source], field_)]


def test_every_announced_paper_in_exactly_one_digest(played: tuple[ScheduleServer, Played]) -> None:
    world, p = played
    got = ids(p, "arxiv")
    assert len(got) == len(set(got))
    start = morning(MORNINGS[0] - timedelta(days=1))
    due = {
        f"arxiv:{x.id}"
        for x in world.papers
        if x.in_api(p.last)
        and x.announced + timedelta(hours=4) > start
        and set(CATEGORIES) & set(x.categories)
    }
    assert set(got) == due and len(due) > 300


def test_arxiv_days_follow_the_schedule(played: tuple[ScheduleServer, Played]) -> None:
    _, p = played
    empty = sorted(d for d, s in p.days.items() if not s["arxiv"].items)
    # Sunday and Monday mornings, and Saturday 25 (Thanksgiving evening); 9 Nov was missed
    assert empty == [
        "2023-11-05",
        "2023-11-06",
        "2023-11-12",
        "2023-11-13",
        "2023-11-19",
        "2023-11-20",
        "2023-11-25",
    ]
    caught_up = p.days["2023-11-10"]["arxiv"].release
    assert caught_up is not None and len(caught_up.announcements) == 2  # Wed and Thu evenings
    silent = p.days["2023-11-25"]["arxiv"].release
    assert silent is not None and [w for _, w in silent.silent] == ["holiday"]


def test_hf_lists_known_papers_as_featured_not_new(played: tuple[ScheduleServer, Played]) -> None:
    world, p = played
    new, featured = ids(p, "hf"), ids(p, "hf", "featured")
    assert len(new + featured) == len(set(new + featured))
    arxiv_days = {i.id: d for d, s in p.days.items() for i in s["arxiv"].items}
    for d, s in p.days.items():
        for item in s["hf"].featured:
            assert arxiv_days[item.id] < d and item.upvotes > 0  # shown before, with upvotes
        for item in s["hf"].items:
            assert arxiv_days.get(item.id, d) >= d  # never a paper an earlier digest showed
    others = {f"arxiv:{e.id}" for e in world.listings if not e.ours}
    assert featured and others & set(new)


def test_the_late_feed_loses_nothing(played: tuple[ScheduleServer, Played]) -> None:
    world, p = played
    got = ids(p, "openai")
    assert len(got) == len(set(got))
    start = morning(MORNINGS[0] - timedelta(days=1))
    urls = {i.url for d in p.days.values() for i in d["openai"].items}
    due = {x.link for x in world.posts if x.appears <= p.last and start <= x.dated < p.last}
    late = {x.link for x in world.posts if x.appears > x.dated}
    assert urls == due and late & due


def test_a_past_day_rebuilds_identically(played: tuple[ScheduleServer, Played]) -> None:
    world, p = played
    day = date(2023, 11, 15)
    world.set_now(p.last + timedelta(hours=3))  # three more days exist since
    with make_client(timeout=5.0) as client:
        for spec in specs(world):
            recorded = p.marks.takes[day.isoformat()][spec.name]
            mark = p.marks.marks[spec.name]
            again = replay_day(Asking(client, spec, sleep=_no), recorded, mark)
            first = p.days[day.isoformat()][spec.name]
            assert [i.id for i in again.items] == [i.id for i in first.items] and again.gone == []
            assert again.mark is mark


def items_of(played: Played, source: str) -> list[Item]:
    return [i for d in played.days.values() for i in d[source].items]


def test_a_build_that_lost_the_race_replays_the_winner() -> None:
    """Two builds of one day at once: the second commit finds the day taken and replays it."""

    class Racing(MemoryWatermarks):
        def commit(self, taken: Take, mark: Mark, expected: Mark) -> bool:
            if not self.takes:  # the other build commits first, with the same take
                super().commit(taken, mark, expected)
                return False
            return super().commit(taken, mark, expected)

    with ScheduleServer(FIRST, 25) as world, make_client(timeout=5.0) as client:
        d = date(2023, 11, 8)
        world.set_now(morning(d))
        marks = Racing()
        spec = specs(world)[0]
        got = build(marks, client, spec, d, morning(d))
        assert got.items and got.take == marks.takes[d.isoformat()]["arxiv"]
        assert [i.id for i in got.items] == list(got.take.ids)
