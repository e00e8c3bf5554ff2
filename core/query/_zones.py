"""Subscription times (HH:MM, `at 8`) and time zones (IANA names, KST, UTC±N, city names).

A misspelt zone gets one suggestion, and only the first problem of a command is ever shown: so
the suggestion is computed when the message is built, and difflib compares the word with the
few zone names that share the most letter pairs with it, not with all ~600 (a command full of
near-miss zone words cost ~420 ms inside a bot's event loop).
"""

from __future__ import annotations

import datetime as dt
import difflib
import heapq
import zoneinfo
from dataclasses import replace
from functools import cache

from core.query._words import (
    CLOCK,
    HOUR,
    OFFSET,
    Context,
    Problem,
    shown,
)


def clock(word: str | None, *, hour_alone: bool = False) -> dt.time | None:
    if word is None:
        return None
    m = CLOCK.fullmatch(word) or (HOUR.fullmatch(word) if hour_alone else None)
    if not m or int(m.group(1)) > 23 or int(m.group(2) or 0) > 59:
        return None
    return dt.time(int(m.group(1)), int(m.group(2) or 0))


@cache
def zone_names() -> dict[str, str]:
    try:
        names = zoneinfo.available_timezones() - {"localtime", "posixrules", "Factory"}
    except Exception:  # no tz database at all: UTC still works below
        names = set()
    zones = {n.lower(): n for n in names}
    zones.setdefault("utc", "UTC")
    zones["kst"] = "Asia/Seoul"  # what Korean users write
    return zones


SUGGEST_FROM = 12  # zone names difflib compares a misspelt zone with


def _pairs(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


@cache
def _zone_pairs() -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple((name, _pairs(name)) for name in zone_names())


def close_zone(word: str) -> str | None:
    """The zone name (as IANA spells it) closest to a misspelt `word`, if one is close."""
    typed = word.lower()[:64]
    pairs = _pairs(typed)
    if not pairs:
        return None
    likely = heapq.nlargest(SUGGEST_FROM, _zone_pairs(), key=lambda z: len(pairs & z[1]))
    near = difflib.get_close_matches(typed, [name for name, _ in likely], n=1, cutoff=0.6)
    return zone_names()[near[0]] if near else None


def zone(word: str) -> str | None:
    name = zone_names().get(word.lower())
    if name is None:
        return None
    try:
        zoneinfo.ZoneInfo(name)
    except Exception:  # listed but unloadable: as good as unknown
        return None if name != "UTC" else name
    return name


def city_zone(word: str) -> str | None:
    """'seoul' → Asia/Seoul, when exactly one zone ends with that city."""
    tails = {z for z in zone_names().values() if z.lower().rsplit("/", 1)[-1] == word.lower()}
    return next(iter(tails)) if len(tails) == 1 and "/" in next(iter(tails)) else None


def bad_time(said: str | None) -> Problem:
    got = f"'{shown(said)}' isn't a time of day" if said else "'at' needs a time"
    return Problem(
        lambda c: (
            f"{got}; use 24-hour HH:MM (00:00 to 23:59). Try: {replace(c, at=dt.time(8, 30)).cmd()}"
        )
    )


def _zone_hint(word: str) -> str | None:
    if m := OFFSET.fullmatch(word.lower()):
        # POSIX Etc/GMT names have the sign reversed: UTC+9 is Etc/GMT-9.
        guess = f"Etc/GMT{'-' if m.group(1) == '+' else '+'}{int(m.group(2))}"
        return zone_names().get(guess.lower())
    return close_zone(word)


def bad_zone(word: str) -> Problem:
    def build(c: Context) -> str:
        near = _zone_hint(word)  # only for the problem that is shown
        did = f"Did you mean {near}?" if near else "Use an IANA name such as Asia/Seoul or UTC."
        fixed = replace(c, tz=near or "Asia/Seoul").cmd()
        return f"I don't know the time zone '{shown(word)}'. {did} Try: {fixed}"

    return Problem(build)
