"""arXiv's announcement calendar: the published table, holidays, DST in both countries."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.sources.arxiv_calendar import ET, ArxivCalendar, load_holidays

SEOUL = ZoneInfo("Asia/Seoul")
PLAIN = ArxivCalendar()  # weekends only
SHIPPED = ArxivCalendar.shipped()


def et(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=ET)


# arXiv's table, one row each, in a plain week (Mon 2024-10-14 … Mon 2024-10-21):
# received at, announced at.
TABLE = [
    (et(2024, 10, 14, 14, 0), et(2024, 10, 15, 20)),  # Mon 14:00 → Tue 20:00
    (et(2024, 10, 15, 13, 59), et(2024, 10, 15, 20)),  # Tue 13:59 → Tue 20:00
    (et(2024, 10, 15, 14, 0), et(2024, 10, 16, 20)),  # Tue 14:00 → Wed 20:00
    (et(2024, 10, 16, 23, 0), et(2024, 10, 17, 20)),  # Wed 23:00 → Thu 20:00
    (et(2024, 10, 17, 14, 30), et(2024, 10, 20, 20)),  # Thu 14:30 → Sun 20:00
    (et(2024, 10, 18, 13, 59), et(2024, 10, 20, 20)),  # Fri 13:59 → Sun 20:00
    (et(2024, 10, 18, 14, 0), et(2024, 10, 21, 20)),  # Fri 14:00 → Mon 20:00
    (et(2024, 10, 19, 9, 0), et(2024, 10, 21, 20)),  # Sat → Mon 20:00
    (et(2024, 10, 20, 21, 0), et(2024, 10, 21, 20)),  # Sun evening → Mon 20:00
    (et(2024, 10, 21, 13, 0), et(2024, 10, 21, 20)),  # Mon 13:00 → Mon 20:00
]


@pytest.mark.parametrize(("received", "announced"), TABLE)
def test_the_published_table(received: datetime, announced: datetime) -> None:
    assert PLAIN.announcement_of(received) == announced
    start, end = PLAIN.submission_window(announced)
    assert start <= received < end


def test_a_week_has_five_announcements_sunday_to_thursday() -> None:
    week = PLAIN.announcements_between(et(2024, 10, 13, 0), et(2024, 10, 20, 0))
    assert [a.astimezone(ET).strftime("%a %H:%M") for a in week] == [
        "Sun 20:00",
        "Mon 20:00",
        "Tue 20:00",
        "Wed 20:00",
        "Thu 20:00",
    ]
    silent = PLAIN.silent_evenings(et(2024, 10, 13, 0), et(2024, 10, 20, 0))
    assert silent == [(date(2024, 10, 18), "weekend"), (date(2024, 10, 19), "weekend")]


def test_windows_of_the_week() -> None:
    monday = PLAIN.submission_window(et(2024, 10, 21, 20))
    assert monday == (et(2024, 10, 18, 14), et(2024, 10, 21, 14))  # Fri 14:00 → Mon 14:00
    sunday = PLAIN.submission_window(et(2024, 10, 20, 20))
    assert sunday == (et(2024, 10, 17, 14), et(2024, 10, 18, 14))  # Thu 14:00 → Fri 14:00


def test_the_morning_digests_in_seoul() -> None:
    """07:00 KST comes before that day's 09:00/10:00 KST announcement: Tuesday's digest gets
    Sunday's announcement, Sunday's and Monday's digests get none."""
    build = [datetime(2024, 10, d, 7, tzinfo=SEOUL) for d in range(19, 27)]  # Sat … Sat
    got = {
        b.strftime("%a"): [
            a.astimezone(ET).strftime("%a") for a in PLAIN.announcements_between(a0, b)
        ]
        for a0, b in itertools.pairwise(build)
    }
    assert got == {
        "Sun": [],
        "Mon": [],
        "Tue": ["Sun"],
        "Wed": ["Mon"],
        "Thu": ["Tue"],
        "Fri": ["Wed"],
        "Sat": ["Thu"],
    }


def test_thanksgiving_merges_thursday_into_sunday() -> None:
    assert SHIPPED.silence(date(2024, 11, 28)) == "holiday"
    days = SHIPPED.announcements_between(et(2024, 11, 25, 0), et(2024, 12, 2, 0))
    assert [a.astimezone(ET).day for a in days] == [25, 26, 27, 1]  # no Thursday 28
    assert SHIPPED.submission_window(et(2024, 12, 1, 20)) == (
        et(2024, 11, 27, 14),  # Wed 14:00 …
        et(2024, 11, 29, 14),  # … Fri 14:00: Thursday's submissions wait for Sunday
    )
    assert SHIPPED.announcement_of(et(2024, 11, 28, 9)) == et(2024, 12, 1, 20)
    assert SHIPPED.next_announcement(et(2024, 11, 27, 20)) == et(2024, 12, 1, 20)


def test_a_sunday_holiday_merges_into_monday() -> None:
    # arXiv skipped Sunday 2025-07-06 (after Independence Day on Friday).
    assert SHIPPED.submission_window(et(2025, 7, 7, 20)) == (
        et(2025, 7, 3, 14),  # Thu 14:00 …
        et(2025, 7, 7, 14),  # … Mon 14:00
    )
    assert SHIPPED.next_announcement(et(2025, 7, 3, 20)) == et(2025, 7, 7, 20)


def test_year_end_holidays() -> None:
    days = SHIPPED.announcements_between(et(2024, 12, 22, 0), et(2025, 1, 3, 0))
    assert [a.astimezone(ET).date().isoformat() for a in days] == [
        "2024-12-22",
        "2024-12-23",
        "2024-12-24",
        "2024-12-29",
        "2024-12-30",
        "2025-01-02",
    ]
    # Tue 24 Dec 14:00 to Fri 27 Dec 14:00 all goes out on Sunday 29.
    assert SHIPPED.submission_window(et(2024, 12, 29, 20)) == (
        et(2024, 12, 24, 14),
        et(2024, 12, 27, 14),
    )


def test_dst_ends_in_the_us_but_not_in_korea() -> None:
    """2024-11-03: US-Eastern goes from EDT (UTC-4) to EST (UTC-5); Seoul stays UTC+9."""
    thursday, sunday, monday = et(2024, 10, 31, 20), et(2024, 11, 3, 20), et(2024, 11, 4, 20)
    assert thursday.astimezone(SEOUL).strftime("%a %H:%M") == "Fri 09:00"
    assert sunday.astimezone(SEOUL).strftime("%a %H:%M") == "Mon 10:00"
    assert monday.astimezone(UTC) - thursday.astimezone(UTC) == timedelta(days=4, hours=1)
    start, end = PLAIN.submission_window(monday)  # Fri 14:00 EDT → Mon 14:00 EST
    assert (start.astimezone(UTC).hour, end.astimezone(UTC).hour) == (18, 19)
    assert end - start == timedelta(hours=73)
    builds = [datetime(2024, 11, d, 7, tzinfo=SEOUL) for d in range(1, 8)]
    per_build = [PLAIN.announcements_between(a, b) for a, b in itertools.pairwise(builds)]
    assert [len(x) for x in per_build] == [1, 0, 0, 1, 1, 1]  # Sat … Thu


def test_dst_starts_in_the_us_but_not_in_korea() -> None:
    """2025-03-09: EST to EDT; the weekend window is an hour short."""
    start, end = PLAIN.submission_window(et(2025, 3, 10, 20))
    assert end - start == timedelta(hours=71)
    assert et(2025, 3, 9, 20).astimezone(SEOUL).strftime("%a %H:%M") == "Mon 09:00"
    assert et(2025, 3, 6, 20).astimezone(SEOUL).strftime("%a %H:%M") == "Fri 10:00"


def test_instants_must_be_aware() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        PLAIN.next_announcement(datetime(2024, 10, 1, 12))


def test_only_announcements_have_a_window() -> None:
    with pytest.raises(ValueError, match="not an arXiv announcement"):
        PLAIN.submission_window(et(2024, 10, 18, 20))  # a Friday
    with pytest.raises(ValueError, match="not an arXiv announcement"):
        SHIPPED.submission_window(et(2024, 11, 28, 20))  # Thanksgiving


def test_shipped_holidays_cover_2023_to_2026() -> None:
    years = {d.year for d in SHIPPED.holidays}
    assert years == {2023, 2024, 2025, 2026}
    assert date(2024, 10, 8) in SHIPPED.holidays and date(2025, 7, 6) in SHIPPED.holidays


def test_a_holiday_file_of_ones_own(tmp_path: Path) -> None:
    good = tmp_path / "h.toml"
    good.write_text("holidays = [2030-01-01, 2030-01-02]\n")
    assert load_holidays(good) == {date(2030, 1, 1), date(2030, 1, 2)}
    bad = tmp_path / "bad.toml"
    bad.write_text('holidays = ["2030-01-01"]\n')
    with pytest.raises(ValueError, match=r"bad\.toml.*list of dates"):
        load_holidays(bad)
    broken = tmp_path / "broken.toml"
    broken.write_text("holidays = [\n")
    with pytest.raises(ValueError, match="not TOML"):
        load_holidays(broken)


def test_a_holiday_list_that_never_ends_is_an_error() -> None:
    every_day = frozenset(date(2031, 1, 1) + timedelta(days=n) for n in range(120))
    with pytest.raises(ValueError, match="no arXiv announcement within"):
        ArxivCalendar(every_day).next_announcement(et(2031, 1, 1, 0))


instants = st.datetimes(
    min_value=datetime(2023, 1, 1), max_value=datetime(2026, 12, 1), timezones=st.just(UTC)
)


@settings(max_examples=300, deadline=None)
@given(instants)
def test_every_submission_falls_in_the_window_of_its_announcement(at: datetime) -> None:
    announced = SHIPPED.announcement_of(at)
    start, end = SHIPPED.submission_window(announced)
    assert start <= at < end < announced
    local = announced.astimezone(ET)
    assert SHIPPED.silence(local.date()) is None and local.hour == 20


@settings(max_examples=200, deadline=None)
@given(instants)
def test_consecutive_windows_are_contiguous(at: datetime) -> None:
    first = SHIPPED.next_announcement(at)
    second = SHIPPED.next_announcement(first)
    assert SHIPPED.submission_window(first)[1] == SHIPPED.submission_window(second)[0]


@settings(max_examples=200, deadline=None)
@given(st.lists(instants, min_size=2, max_size=8, unique=True))
def test_builds_partition_the_announcements(times: list[datetime]) -> None:
    """However the builds are spaced, each announcement falls to exactly one of them."""
    times.sort()
    pieces = [SHIPPED.announcements_between(a, b) for a, b in itertools.pairwise(times)]
    flat = [a for piece in pieces for a in piece]
    assert flat == SHIPPED.announcements_between(times[0], times[-1])
    assert len(set(flat)) == len(flat)
