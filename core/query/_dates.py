"""DATE: YYYY-MM-DD, today, yesterday (오늘, 어제) or -N days ago; impossible dates explained."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import replace

from core.query._words import (
    AGO,
    DATE_WORDS,
    DATEISH,
    YMD,
    Problem,
    shown,
)

MAX_DAYS_AGO = 3650
FIRST_DAY = dt.date(2000, 1, 1)


def date_of(word: str, today: dt.date) -> dt.date | Problem | None:
    """The date a word names, a problem if it tries to name one and fails, else None."""
    lw = word.lower()
    if lw in DATE_WORDS:
        return checked(today - dt.timedelta(days=DATE_WORDS[lw]), word, today)
    if m := AGO.fullmatch(lw):
        n = int(m.group(1))
        if n > MAX_DAYS_AGO:
            return Problem(
                lambda c: (
                    f"-{n} is too far back; -N goes up to -{MAX_DAYS_AGO} days. "
                    f"Try: {replace(c, day=None).cmd()} or `/aidigest dates`"
                )
            )
        return checked(today - dt.timedelta(days=n), word, today)
    if m := YMD.fullmatch(lw):
        y, mo, d = (int(g) for g in m.groups())
        if y < FIRST_DAY.year:  # before any month arithmetic: year 0 is no year at all
            return checked(dt.date.min, word, today)
        if not 1 <= mo <= 12:
            return Problem(
                lambda c: (
                    f"'{shown(word)}' has no month {mo}; months go 01 to 12 (YYYY-MM-DD). "
                    f"Try: {replace(c, day=today).cmd()}"
                )
            )
        last = calendar.monthrange(y, mo)[1]
        if not 1 <= d <= last:
            return Problem(
                lambda c: (
                    f"'{shown(word)}' is not a date: {calendar.month_name[mo]} {y} has "
                    f"{last} days. Try: {replace(c, day=min(dt.date(y, mo, last), today)).cmd()}"
                )
            )
        return checked(dt.date(y, mo, d), word, today)
    if DATEISH.fullmatch(lw):
        hint = f" (-{lw} means {lw} days ago)" if lw.isdigit() and len(lw) <= 4 else ""
        return Problem(
            lambda c: (
                f"'{shown(word)}' is not a date I can read{hint}; use YYYY-MM-DD, today, "
                f"yesterday or -N. Try: {replace(c, day=today).cmd()}"
            )
        )
    return None


def checked(day: dt.date, word: str, today: dt.date) -> dt.date | Problem:
    if day > today:
        return Problem(
            lambda c: (
                f"{day.isoformat()} hasn't happened yet (today is {today.isoformat()}). "
                f"Try: {replace(c, day=today).cmd()} or {replace(c, day=None).cmd()} (newest day)"
            )
        )
    if day < FIRST_DAY:
        return Problem(
            lambda c: (
                f"'{shown(word)}' is before {FIRST_DAY.year}; there is nothing that old. "
                f"Try: {replace(c, day=today).cmd()} or `/aidigest dates` (the days that are ready)"
            )
        )
    return day
