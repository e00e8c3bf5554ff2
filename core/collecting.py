"""Step 1 of a day (DESIGN.md): collecting every source, each by its watermark.

A live source gives what it released since the previous digest (core/watermarks.py: arXiv by
its announcement calendar, HF by listing date, feeds and HN by item date); a `saved` source
gives its documents for the day whole. A failure is recorded in the source's status, never
raised: the day goes on without it, and the source's mark stays where it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import httpx

from core.digest import Coverage, SourceStatus
from core.intake import Asking, Lookback, coverage_of
from core.items import Item
from core.sources import SourceError, collect
from core.sources.spec import SourceSpec
from core.watermarks import Watermarks, intake
from core.windows import source_day

INTAKE_TYPES = frozenset({"arxiv", "hf_daily", "feed", "hn"})  # taken by the watermark rule


@dataclass
class SourceResult:
    status: SourceStatus
    items: list[Item]
    featured: list[Item] = field(default_factory=list)  # shown before, listed again today


def collect_source(
    client: httpx.Client,
    spec: SourceSpec,
    day: date,
    window: tuple[datetime, datetime] | None,
    *,
    marks: Watermarks | None = None,
    now: datetime | None = None,
    lookback: Lookback | None = None,
) -> SourceResult:
    """Step 1 for one source. A failure is recorded, never raised: the day goes on without it.

    With `marks` (and a window: the 24 hours before the build, the start of a first digest),
    a live source gives what it released since the previous digest (core/watermarks.py); a
    `saved` source, or no `marks`, gives the day's documents whole."""
    t0 = time.monotonic()
    featured: list[Item] = []
    coverage: Coverage | None = None
    try:
        if marks is not None and window is not None and spec.type in INTAKE_TYPES:
            got = intake(
                marks,
                Asking(client, spec, lookback or Lookback()),
                day.isoformat(),
                start=window[0],
                end=window[1],
                fetched_at=now or datetime.now(UTC),
            )
            items, featured, coverage = got.items, got.featured, coverage_of(got)
        else:
            items = collect(client, spec, source_day(day, spec.type), window)
        status = SourceStatus(
            name=spec.name, kind=spec.kind, ok=True, items=len(items), coverage=coverage
        )
    except SourceError as e:
        items, status = [], SourceStatus(name=spec.name, kind=spec.kind, ok=False, error=str(e))
    except Exception as e:  # a parser bug must not kill the day either
        items = []
        status = SourceStatus(
            name=spec.name, kind=spec.kind, ok=False, error=f"{type(e).__name__}: {e}"[:300]
        )
    status.seconds = round(time.monotonic() - t0, 3)
    status.trusted = spec.trusted
    return SourceResult(status, items, featured)


def every_source_failed(results: Sequence[SourceResult]) -> bool:
    """Every source that was asked failed (a source on arXiv's calendar with no announcement
    to take was not asked: it says nothing about the network), and at least one was asked."""
    asked = [r for r in results if not _unasked(r.status)]
    return bool(asked) and not any(r.status.ok for r in asked)


def _unasked(status: SourceStatus) -> bool:
    c = status.coverage
    return status.ok and c is not None and c.scheduled and not c.announcements


def collect_all(
    client: httpx.Client,
    specs: Sequence[SourceSpec],
    day: date,
    window: tuple[datetime, datetime] | None,
    *,
    workers: int = 8,
    on_done: Callable[[SourceResult], None] | None = None,
    marks: Watermarks | None = None,
    now: datetime | None = None,
    lookback: Lookback | None = None,
) -> list[SourceResult]:
    """Step 1 for every source at once; results in the order of `specs`."""
    results: dict[str, SourceResult] = {}

    def one(spec: SourceSpec) -> SourceResult:
        return collect_source(client, spec, day, window, marks=marks, now=now, lookback=lookback)

    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(specs) or 1))) as pool:
        futures = [pool.submit(one, s) for s in specs]
        for fut in as_completed(futures):
            r = fut.result()
            results[r.status.name] = r
            if on_done is not None:
                on_done(r)
    return [results[s.name] for s in specs]
