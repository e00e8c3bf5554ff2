"""Autocomplete choices: categories from the taxonomy, dates from the ready days, time zones.

Discord shows at most 25 choices of at most 100 characters each, and gives up on an answer
that takes more than 3 seconds; these read the taxonomy in memory or one Redis key, and any
failure answers no choices rather than an error.
"""

from __future__ import annotations

import zoneinfo
from datetime import date
from functools import cache

from discord import app_commands

from core.items import KINDS, Kind
from core.store.async_reader import AsyncDayReader
from core.taxonomy import Taxonomy

MAX_CHOICES = 25
MAX_VALUE = 100
Choice = app_commands.Choice
_TIMES = ("07:00", "07:30", "08:00", "08:30", "09:00", "10:00", "12:00", "18:00", "21:00")
_FIRST_ZONES = ("Asia/Seoul", "UTC", "America/New_York", "America/Los_Angeles", "Europe/London")


def _kinds(kind: str | None) -> tuple[Kind, ...]:
    return tuple(k for k in KINDS if k == kind) or KINDS


def _norm(s: str) -> str:
    return " ".join(s.lower().replace("-", " ").replace("_", " ").split())


def _matches(taxonomy: Taxonomy, kinds: tuple[Kind, ...], typed: str) -> list[tuple[str, str]]:
    """(id, display name) of the section categories that `typed` starts or contains."""
    want = _norm(typed)
    found: dict[str, list[str]] = {}  # id -> kinds having it
    names: dict[str, str] = {}
    ranked: list[tuple[tuple[int, int], str]] = []
    for kind in kinds:
        for c in taxonomy.sections(kind):
            spellings = [_norm(s) for s in (c.id, c.name, *c.aliases)]
            if want and not any(want in s for s in spellings):
                continue
            if c.id not in found:
                ranked.append((_rank(want, spellings[:2], spellings[2:]), c.id))
            found.setdefault(c.id, []).append(kind)
            names[c.id] = c.name
    out = []
    for _, cid in sorted(ranked, key=lambda r: r[0]):
        both = len(found[cid]) > 1 and len(kinds) > 1
        out.append((cid, f"{names[cid]} ({', '.join(found[cid])})" if both else names[cid]))
    return out


def _rank(want: str, names: list[str], aliases: list[str]) -> tuple[int, int]:
    """Its id or name starts with it, then an alias does (the shorter the closer), then inside."""
    if not want or any(s.startswith(want) for s in names):
        return (0, 0)
    starts = [len(s) for s in aliases if s.startswith(want)]
    return (1, min(starts)) if starts else (2, 0)


def categories(taxonomy: Taxonomy, kind: str | None, typed: str) -> list[Choice[str]]:
    hits = _matches(taxonomy, _kinds(kind), typed)
    return [Choice(name=name[:MAX_VALUE], value=cid) for cid, name in hits[:MAX_CHOICES]]


def category_list(taxonomy: Taxonomy, kind: str | None, typed: str) -> list[Choice[str]]:
    """For a comma-separated list: complete its last item, keep the ones before."""
    done, _, last = typed.rpartition(",")
    chosen = [w.strip() for w in done.split(",") if w.strip()]
    prefix = ", ".join(chosen)
    out: list[Choice[str]] = []
    for cid, name in _matches(taxonomy, _kinds(kind), last.strip()):
        plain = name.split(" (")[0]
        if plain in chosen or cid in chosen:
            continue
        value = f"{prefix}, {plain}" if prefix else plain
        if len(value) <= MAX_VALUE:
            out.append(Choice(name=value, value=value))
    return out[:MAX_CHOICES]


async def dates(reader: AsyncDayReader, typed: str) -> list[Choice[str]]:
    ready = await reader.dates()
    want = typed.strip()
    out = []
    for d in ready:
        if d.startswith(want) or not want:
            out.append(Choice(name=f"{d} ({date.fromisoformat(d):%a})", value=d))
        if len(out) == MAX_CHOICES:
            break
    return out


@cache
def _zones() -> tuple[str, ...]:
    names = zoneinfo.available_timezones() - {"localtime", "posixrules", "Factory"}
    rest = sorted(n for n in names if "/" in n and not n.startswith(("Etc/", "SystemV/")))
    return tuple(dict.fromkeys([*_FIRST_ZONES, *rest]))


def timezones(typed: str) -> list[Choice[str]]:
    want = typed.strip().lower().replace(" ", "_")
    starts = [
        z
        for z in _zones()
        if z.lower().startswith(want) or z.lower().split("/")[-1].startswith(want)
    ]
    inside = [z for z in _zones() if want in z.lower() and z not in starts]
    return [Choice(name=z, value=z) for z in (starts + inside)[:MAX_CHOICES]]


def times(typed: str) -> list[Choice[str]]:
    want = typed.strip()
    out = [t for t in _TIMES if t.startswith(want)]
    if want and want not in out and len(want) <= 5:
        out.insert(0, want)  # what was typed is also a choice; the grammar checks it
    return [Choice(name=t, value=t) for t in out[:MAX_CHOICES]]
