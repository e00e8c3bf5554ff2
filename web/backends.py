"""What the site reads: published days (a `DayReader`) and search (a `Searcher`).

In production both are Redis readers: core.store.async_reader.AsyncDayReader and
core.search.SearchReader (cli/web.py hands them over). `aidigest demo --serve` has no Redis:
the demo day lives in memory, read through `MemoryReader` and searched through
core.search.memory.MemorySearch. The site only ever calls these methods, so it cannot write.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

from core.digest import Digest, Section
from core.search.ranking import NO_FILTERS, Filters, SearchPage

if TYPE_CHECKING:
    from core.pipeline import BuiltDay


class DayReader(Protocol):
    def published(self, day: str) -> None:
        """`day` was published (digest.ready): forget what was kept of it."""
        ...

    async def dates(self) -> list[str]:
        """Published dates, newest first."""
        ...

    async def langs(self, day: str) -> list[str]:
        """The languages `day` was built in (first: the build's default)."""
        ...

    async def meta(self, day: str, lang: str) -> Digest | None:
        """The digest of `day` in `lang` without its sections."""
        ...

    async def digest(self, day: str, lang: str, fallback: bool = True) -> Digest | None:
        """The whole digest; with `fallback`, in another language when `lang` was not built."""
        ...

    async def sections(
        self, day: str, lang: str, wanted: Sequence[tuple[str, str]]
    ) -> list[Section | None]:
        """Sections (kind, category) of `day` in `lang`, None where there is none."""
        ...

    async def charts(self, day: str, names: Sequence[str]) -> dict[str, bytes]:
        """PNG charts by name ("papers", "papers-trend", …), those that exist."""
        ...


class Searcher(Protocol):
    async def search(
        self, text: str, filters: Filters = NO_FILTERS, page: int = 1, per_page: int = 10
    ) -> SearchPage: ...


class MemoryReader:
    """Built days held in memory (the demo day), read like the published ones."""

    def __init__(self, days: Iterable[BuiltDay]) -> None:
        self._days = {b.date: b for b in days}

    def published(self, day: str) -> None:
        pass  # nothing is kept: the days in memory are all there is

    async def dates(self) -> list[str]:
        return sorted(self._days, reverse=True)

    async def langs(self, day: str) -> list[str]:
        built = self._days.get(day)
        return list(built.digests) if built else []

    async def meta(self, day: str, lang: str) -> Digest | None:
        built = self._days.get(day)
        d = built.digests.get(lang) if built else None
        return None if d is None else d.model_copy(update={"sections": []})

    async def digest(self, day: str, lang: str, fallback: bool = True) -> Digest | None:
        built = self._days.get(day)
        if built is None:
            return None
        d = built.digests.get(lang)
        if d is None and fallback and built.digests:
            d = next(iter(built.digests.values()))
        return d  # shared, not copied: the site never changes what it reads

    async def sections(
        self, day: str, lang: str, wanted: Sequence[tuple[str, str]]
    ) -> list[Section | None]:
        built = self._days.get(day)
        d = built.digests.get(lang) if built else None
        if d is None:
            return [None for _ in wanted]
        return [d.section(k, c) for k, c in wanted]  # type: ignore[arg-type]

    async def charts(self, day: str, names: Sequence[str]) -> dict[str, bytes]:
        built = self._days.get(day)
        if built is None:
            return {}
        return {n: built.charts[n] for n in names if n in built.charts}


__all__ = ["DayReader", "MemoryReader", "Searcher"]
