"""Local time, in one place: wall-clock times in an IANA zone as real instants, across DST; and
the clock every process reads "now" from.

A wall time that does not exist on a day (spring forward) happens at the same offset past the gap
(02:30 in a 02:00→03:00 gap is 03:30 local); a wall time that happens twice (fall back) is the
first of the two. The build schedule (workers/cron.py), the delivery schedule (bot/common) and
the CLI all use these functions, and all read the time through a `Clock`: `SystemClock`, shifted
by DIGEST_CLOCK_OFFSET (rehearsals, system tests), or a test's.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


def parse_hhmm(text: str) -> time:
    """'07:00' -> 07:00. Raises ValueError for anything that is not a 24-hour HH:MM."""
    hh, sep, mm = text.strip().partition(":")
    if not sep or not (hh.isdigit() and mm.isdigit() and len(mm) == 2 and len(hh) <= 2):
        raise ValueError(f"{text!r} is not a time of day (HH:MM)")
    return time(int(hh), int(mm))


def instant(day: date, hhmm: time, tz: str) -> datetime:
    """The instant (UTC) of wall time `hhmm` on local `day` in `tz`."""
    return datetime.combine(day, hhmm, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def next_after(hhmm: time, tz: str, after: datetime) -> datetime:
    """The first instant of the daily wall time `hhmm` strictly after `after` (UTC)."""
    local = after.astimezone(ZoneInfo(tz)).date()
    for d in range(-1, 3):
        t = instant(local + timedelta(days=d), hhmm, tz)
        if t > after:
            return t
    raise AssertionError("unreachable: a day has one such instant")  # pragma: no cover


def latest_at(hhmm: time, tz: str, now: datetime) -> tuple[date, datetime]:
    """The local date and instant of the newest occurrence of `hhmm` at or before `now`."""
    local = now.astimezone(ZoneInfo(tz)).date()
    for d in range(1, -3, -1):
        day = local + timedelta(days=d)
        t = instant(day, hhmm, tz)
        if t <= now:
            return day, t
    raise AssertionError("unreachable")  # pragma: no cover


def today_in(tz: str, now: datetime) -> date:
    """The calendar date in `tz` at the instant `now`."""
    return now.astimezone(ZoneInfo(tz)).date()


class Clock(Protocol):
    def now(self) -> datetime:
        """Aware, UTC."""
        ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """Real time, shifted by `offset` seconds (DIGEST_CLOCK_OFFSET)."""

    def __init__(self, offset: float = 0.0) -> None:
        self.offset = timedelta(seconds=offset)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))
