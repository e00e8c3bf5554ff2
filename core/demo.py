"""The bundled sample day: real saved data (core/data/demo/, see its README.md), built offline.

The demo is a profile, not a code path: its sources are `saved` sources (core/data/demo/
sources.toml) read by the ordinary pipeline, and its trend chart comes from the saved documents
of the three days before (core/history.py). Papers are the arXiv cs.AI listing and Hugging Face
Daily Papers of 2024-10-04; news are saved snapshots of four real feeds, kept whatever their dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from core.digest import History
from core.sources.spec import SourceSpec, load_sources
from core.taxonomy import Taxonomy

if TYPE_CHECKING:  # the pipeline brings matplotlib; the cron process needs only demo_build
    from core.engine import Engine
    from core.pipeline import BuiltDay, SourceResult

DEMO_DATE = date(2024, 10, 4)
DEMO_SOURCES = "package:demo/sources.toml"


def demo_specs() -> list[SourceSpec]:
    return load_sources(DEMO_SOURCES)


def demo_now(day: date = DEMO_DATE) -> datetime:
    """The demo build's clock: the evening of the day (UTC), as recency ranking sees it."""
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=22)


def demo_build() -> dict[str, Any]:
    """The demo day as a build to enqueue (JSON: workers.queues.enqueue_build's options)."""
    return {
        "date": DEMO_DATE.isoformat(),
        "sources_file": DEMO_SOURCES,
        "now": demo_now().isoformat(),
        "offline": True,
    }


def demo_results(day: date = DEMO_DATE) -> list[SourceResult]:
    """The saved sources of `day`, collected by the real parsers, as a build collects them."""
    from core.pipeline import collect_all
    from core.sources import make_client

    with make_client() as client:
        return collect_all(client, demo_specs(), day, None)


def demo_history(taxonomy: Taxonomy) -> History:
    """Category counts of the bundled days before the demo day (for the trend chart)."""
    from core.history import saved_history

    return saved_history(demo_specs(), DEMO_DATE, taxonomy)


def build_demo_day(
    langs: Sequence[str] = ("ko", "en"),
    *,
    engine: Engine | None = None,
    taxonomy: Taxonomy | None = None,
    section_cap: int = 8,
) -> BuiltDay:
    """The sample day built whole (offline unless given an engine), with its trend chart."""
    from core.pipeline import build_day
    from core.taxonomy import load_taxonomy

    tx = taxonomy or load_taxonomy()
    return build_day(
        DEMO_DATE,
        demo_results(),
        tx,
        langs=list(langs),
        section_cap=section_cap,
        now=demo_now(),
        engine=engine,
        history=demo_history(tx),
    )


__all__ = [
    "DEMO_DATE",
    "DEMO_SOURCES",
    "build_demo_day",
    "demo_build",
    "demo_history",
    "demo_now",
    "demo_results",
    "demo_specs",
]
