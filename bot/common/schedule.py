"""When a daily local post time falls, in real instants, across DST changes.

A wall time that does not exist that day (spring forward) posts at the same offset past the gap
(02:30 in a 02:00→03:00 gap posts at 03:30); a wall time that happens twice (fall back) posts at
the first one only. `latest_at` tells which local date a delivery is for: the date of the newest
post time at or before now, so a post that waits for its digest keeps its date until the next.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def at(day: date, hhmm: time, tz: str) -> datetime:
    """The instant of `hhmm` on local `day` in `tz` (fold=0: the first of a repeated time)."""
    return datetime.combine(day, hhmm, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def next_after(hhmm: time, tz: str, after: datetime) -> datetime:
    """The first post time strictly after `after`."""
    local = after.astimezone(ZoneInfo(tz)).date()
    for d in range(-1, 3):
        t = at(local + timedelta(days=d), hhmm, tz)
        if t > after:
            return t
    raise AssertionError("unreachable: a day has at most one post time")  # pragma: no cover


def latest_at(hhmm: time, tz: str, now: datetime) -> tuple[date, datetime]:
    """The local date and instant of the newest post time at or before `now`."""
    local = now.astimezone(ZoneInfo(tz)).date()
    for d in range(1, -3, -1):
        day = local + timedelta(days=d)
        t = at(day, hhmm, tz)
        if t <= now:
            return day, t
    raise AssertionError("unreachable")  # pragma: no cover


def parse_hhmm(text: str) -> time:
    hh, mm = text.split(":")
    return time(int(hh), int(mm))
