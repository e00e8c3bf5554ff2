"""Post times across DST: one post per local day, at the local time (or just past a gap)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from core.localtime import latest_at, next_after

NY = "America/New_York"
ZONES = [
    "America/New_York",
    "Europe/London",
    "Asia/Seoul",
    "Australia/Lord_Howe",
    "UTC",
    "America/Santiago",
    "Asia/Kathmandu",
]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_a_time_in_the_spring_gap_posts_just_after_it() -> None:
    # 2024-03-10 02:30 does not exist in New York (02:00 EST -> 03:00 EDT)
    got = next_after(time(2, 30), NY, utc(2024, 3, 10, 0, 0))
    assert got == utc(2024, 3, 10, 7, 30)  # 03:30 EDT
    assert got.astimezone(ZoneInfo(NY)).strftime("%H:%M %Z") == "03:30 EDT"


def test_a_repeated_fall_time_posts_once() -> None:
    # 2024-11-03 01:30 happens twice in New York; only the first one posts
    first = next_after(time(1, 30), NY, utc(2024, 11, 3, 0, 0))
    assert first == utc(2024, 11, 3, 5, 30)  # 01:30 EDT
    again = next_after(time(1, 30), NY, first)
    assert again == utc(2024, 11, 4, 6, 30)  # the next day, 01:30 EST


def test_the_day_keeps_its_date_until_the_next_post_time() -> None:
    nine = next_after(time(9, 0), "Asia/Seoul", utc(2024, 10, 4, 0, 0))  # 09:00 KST = 00:00 UTC
    assert latest_at(time(9, 0), "Asia/Seoul", nine + timedelta(hours=23))[0].isoformat() == (
        "2024-10-05"
    )
    day, at = latest_at(time(9, 0), "Asia/Seoul", nine + timedelta(hours=23, minutes=59))
    assert (day.isoformat(), at) == ("2024-10-05", nine)


@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    hh=st.integers(0, 23),
    mm=st.sampled_from([0, 1, 15, 30, 59]),
    start=st.datetimes(datetime(2023, 1, 1), datetime(2026, 12, 31)),
)
def test_one_post_per_local_day_for_two_weeks(zone: str, hh: int, mm: int, start: datetime) -> None:
    t = time(hh, mm)
    now = start.replace(tzinfo=UTC)
    days = []
    for _ in range(14):
        nxt = next_after(t, zone, now)
        assert nxt > now
        day, at = latest_at(t, zone, nxt)
        assert at == nxt  # the post time names its own day
        assert latest_at(t, zone, nxt - timedelta(microseconds=1))[1] < nxt
        local = nxt.astimezone(ZoneInfo(zone))
        assert local.date() == day
        # at the local time, or pushed forward by a gap of at most an hour
        wall = timedelta(hours=local.hour, minutes=local.minute)
        assert timedelta(0) <= wall - timedelta(hours=hh, minutes=mm) <= timedelta(hours=1)
        days.append(day)
        now = nxt
    assert all((b - a).days == 1 for a, b in itertools.pairwise(days))
