"""arXiv's announcement calendar: when papers go public, and which submissions each release holds.

arXiv's published schedule (info.arxiv.org/help/availability.html), all times US-Eastern:
submissions close at 14:00 Monday to Friday and are announced at 20:00 Sunday to Thursday.

    received Mon 14:00 - Tue 14:00   announced Tue 20:00
    received Tue 14:00 - Wed 14:00   announced Wed 20:00
    received Wed 14:00 - Thu 14:00   announced Thu 20:00
    received Thu 14:00 - Fri 14:00   announced Sun 20:00
    received Fri 14:00 - Mon 14:00   announced Mon 20:00

On an arXiv holiday (core/data/arxiv_holidays.toml) there is no announcement that evening; the
submissions it would have carried go out with the next announcement. US-Eastern switches between
EST and EDT, so every wall time is built with zoneinfo on its own date and every instant this
module returns is in UTC (two US-Eastern datetimes subtract as wall times and would hide the
DST hour): 20:00 ET is 09:00 KST in summer and 10:00 KST in winter.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

ET = ZoneInfo("America/New_York")
CUTOFF = time(14, 0)  # submissions close, Monday to Friday
ANNOUNCE = time(20, 0)  # announcements, Sunday to Thursday
_ANNOUNCE_WEEKDAYS = frozenset({6, 0, 1, 2, 3})  # date.weekday(): Sunday, Monday … Thursday
_SEARCH_DAYS = 60  # no stretch of holidays is this long: beyond it the holiday list is wrong

Silence = Literal["weekend", "holiday"]


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError(f"{at.isoformat()} has no time zone: arXiv's calendar needs instants")
    return at.astimezone(UTC)


def _et(day: date, at: time) -> datetime:
    """The instant (in UTC) of a US-Eastern wall time."""
    return datetime.combine(day, at, tzinfo=ET).astimezone(UTC)


def load_holidays(path: Path | None = None) -> frozenset[date]:
    """The `holidays` list of a TOML file; None loads the shipped core/data/arxiv_holidays.toml."""
    if path is None:
        text = resources.files("core.data").joinpath("arxiv_holidays.toml").read_text("utf-8")
        origin = "core/data/arxiv_holidays.toml"
    else:
        text, origin = Path(path).read_text("utf-8"), str(path)
    try:
        raw = tomllib.loads(text).get("holidays", [])
    except tomllib.TOMLDecodeError as e:
        raise ValueError(f"{origin}: not TOML: {e}") from e
    if not isinstance(raw, list) or not all(
        isinstance(d, date) and not isinstance(d, datetime) for d in raw
    ):
        raise ValueError(f"{origin}: `holidays` must be a list of dates like 2024-11-28")
    return frozenset(raw)


@dataclass(frozen=True)
class ArxivCalendar:
    """arXiv's schedule with a set of holidays (US-Eastern dates without an announcement)."""

    holidays: frozenset[date] = frozenset()

    @classmethod
    def shipped(cls) -> ArxivCalendar:
        return cls(load_holidays())

    def silence(self, evening: date) -> Silence | None:
        """Why arXiv makes no announcement on this US-Eastern evening (None: it does)."""
        if evening.weekday() not in _ANNOUNCE_WEEKDAYS:
            return "weekend"
        return "holiday" if evening in self.holidays else None

    def announcement_on(self, evening: date) -> datetime | None:
        """The announcement instant (20:00 ET) of that evening, if arXiv announces then."""
        return None if self.silence(evening) else _et(evening, ANNOUNCE)

    def announcements_between(self, start: datetime, end: datetime) -> list[datetime]:
        """Announcements in (start, end], oldest first."""
        lo, hi = _utc(start), _utc(end)
        out = []
        for evening in _evenings(lo, hi):
            at = self.announcement_on(evening)
            if at is not None and lo < at <= hi:
                out.append(at)
        return out

    def silent_evenings(self, start: datetime, end: datetime) -> list[tuple[date, Silence]]:
        """The US-Eastern evenings whose 20:00 falls in (start, end] with no announcement."""
        lo, hi = _utc(start), _utc(end)
        out = []
        for evening in _evenings(lo, hi):
            why = self.silence(evening)
            if why is not None and lo < _et(evening, ANNOUNCE) <= hi:
                out.append((evening, why))
        return out

    def next_announcement(self, after: datetime) -> datetime:
        """The first announcement strictly after `after`."""
        moment = _utc(after)
        evening = moment.astimezone(ET).date()
        for _ in range(_SEARCH_DAYS):
            at = self.announcement_on(evening)
            if at is not None and at > moment:
                return at
            evening += timedelta(days=1)
        raise ValueError(f"no arXiv announcement within {_SEARCH_DAYS} days after {after}")

    def latest_announcement(self, at_or_before: datetime) -> datetime:
        """The last announcement at or before the instant."""
        moment = _utc(at_or_before)
        evening = moment.astimezone(ET).date()
        for _ in range(_SEARCH_DAYS):
            at = self.announcement_on(evening)
            if at is not None and at <= moment:
                return at
            evening -= timedelta(days=1)
        raise ValueError(f"no arXiv announcement within {_SEARCH_DAYS} days before {at_or_before}")

    def submission_window(self, announcement: datetime) -> tuple[datetime, datetime]:
        """[start, end) of the submissions an announcement carries: from the cutoff of the
        announcement before it (holidays in between merge into this one) to its own cutoff."""
        own = self._check(announcement)
        previous = self.latest_announcement(own - timedelta(minutes=1))
        return _cutoff(previous), _cutoff(own)

    def announcement_of(self, submitted: datetime) -> datetime:
        """The announcement that carries a submission received at `submitted` (if not held)."""
        moment = _utc(submitted)
        at = self.next_announcement(moment)  # a cutoff comes before its announcement
        for _ in range(_SEARCH_DAYS):
            if _cutoff(at) > moment:
                return at
            at = self.next_announcement(at)
        raise ValueError(f"no arXiv announcement carries a submission of {submitted}")

    def _check(self, announcement: datetime) -> datetime:
        at = _utc(announcement).astimezone(ET)
        if at.time() != ANNOUNCE or self.silence(at.date()):
            raise ValueError(f"{announcement.isoformat()} is not an arXiv announcement")
        return at


def _cutoff(announcement: datetime) -> datetime:
    """The 14:00 ET deadline of an announcement's own slot: that day's for Monday to Thursday,
    Friday's for Sunday."""
    evening = announcement.astimezone(ET).date()
    back = 2 if evening.weekday() == 6 else 0
    return _et(evening - timedelta(days=back), CUTOFF)


def _evenings(lo: datetime, hi: datetime) -> list[date]:
    """Every US-Eastern date whose 20:00 could fall in (lo, hi]."""
    first = lo.astimezone(ET).date() - timedelta(days=1)
    last = hi.astimezone(ET).date() + timedelta(days=1)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
