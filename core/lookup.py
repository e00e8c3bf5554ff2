"""The one answerer of a parsed show query, for the CLI and both bots: sections of a day, or its
overview, or a message that says what would work (ending with a command that does).

It reads published days through `Days`: Redis (core/store/async_reader.py: the bots, and the CLI
with REDIS_URL) or files (core/store/files.py: the CLI). The common case, a category and a date,
is one read. Messages are written for chat (`/aidigest …`); the CLI rewrites the command prefix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from core.digest import Digest, Section
from core.items import KINDS, Kind
from core.query import ShowQuery
from core.store.codec import pick_lang


class Days(Protocol):
    """Published days, read asynchronously."""

    async def dates(self) -> list[str]: ...

    async def langs(self, day: str) -> list[str]: ...

    async def meta(self, day: str, lang: str) -> Digest | None: ...

    async def sections(
        self, day: str, lang: str, wanted: Sequence[tuple[str, str]]
    ) -> list[Section | None]: ...


@dataclass(frozen=True)
class Found:
    day: str
    lang: str
    sections: list[Section] = field(default_factory=list)
    overview: Digest | None = None  # the day's counts per kind, when no section was asked for


@dataclass(frozen=True)
class NotFound:
    message: str  # ends with a command that works


def try_cmd(*words: str) -> str:
    return "`" + " ".join(["/aidigest", *(w for w in words if w)]) + "`"


async def lookup(q: ShowQuery, reader: Days, lang: str) -> Found | NotFound:
    kinds: tuple[Kind, ...] = q.kinds or KINDS
    if q.date is not None and q.category is not None:  # the fast path: one MGET
        day = q.date.isoformat()
        got = await reader.sections(day, lang, [(k, q.category) for k in kinds])
        if found := [s for s in got if s is not None]:
            return Found(day, lang, found)
    dates = await reader.dates()
    if not dates:
        return NotFound(
            "No digest is ready yet: the first day appears after the daily build. "
            f"Try later: {try_cmd('dates')}"
        )
    day = q.date.isoformat() if q.date else dates[0]
    if day not in dates:
        recent = ", ".join(dates[:5])
        return NotFound(
            f"There is no digest for {day}. Ready days: {recent}. "
            f"Try: {try_cmd(_kind_word(q), q.category or '', dates[0])}"
        )
    meta = await reader.meta(day, lang)
    if meta is None:
        other = pick_lang(lang, await reader.langs(day))
        meta = await reader.meta(day, other) if other else None
    if meta is None:
        return NotFound(f"The digest of {day} is being replaced right now. Try again in a minute.")
    if q.category is not None:
        return await _category(q.category, kinds, meta, reader)
    if len(kinds) == 1:
        kd = meta.kinds.get(kinds[0])
        ids = list(dict.fromkeys(kd.sections)) if kd else []
        got = await reader.sections(day, meta.lang, [(kinds[0], c) for c in ids])
        return Found(day, meta.lang, [s for s in got if s is not None], overview=meta)
    return Found(day, meta.lang, [], overview=meta)


async def _category(
    cat: str, kinds: tuple[Kind, ...], meta: Digest, reader: Days
) -> Found | NotFound:
    have = [k for k in kinds if k in meta.kinds and cat in meta.kinds[k].sections]
    if have:
        got = await reader.sections(meta.date, meta.lang, [(k, cat) for k in have])
        return Found(meta.date, meta.lang, [s for s in got if s is not None])
    names = [meta.kinds[k].names.get(cat, cat) for k in kinds if k in meta.kinds]
    name = names[0] if names else cat
    where = "/".join(kinds)
    others = [
        (k, c, kd.names.get(c, c))
        for k, kd in meta.kinds.items()
        if k in kinds
        for c in dict.fromkeys(kd.sections)
    ]
    if not others:
        return NotFound(f"{meta.date} has no {where} sections. Try: {try_cmd(meta.date)}")
    listed = ", ".join(n for _, _, n in others[:12])
    k, _, first = others[0]
    return NotFound(
        f"No {name} section in {where} on {meta.date} (no items in it that day). "
        f"Sections that day: {listed}. Try: {try_cmd(k, first, meta.date)}"
    )


def _kind_word(q: ShowQuery) -> str:
    return q.kinds[0] if len(q.kinds) == 1 else ""
