"""The bundled sample day: real saved data (core/data/demo/, see its README.md), built offline.

Papers are the arXiv cs.AI listing and Hugging Face Daily Papers of 2024-10-04; news are saved
snapshots of four real feeds, kept whatever their dates. The three days before give the papers'
trend chart. Nothing is fetched.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from importlib import resources

from core.digest import SourceStatus
from core.engine import Engine
from core.pipeline import History, SourceResult, merge_and_classify
from core.plan import category_counts
from core.sources import parse_saved
from core.sources.spec import SourceSpec
from core.taxonomy import Taxonomy

DEMO_DATE = date(2024, 10, 4)

# (source spec, saved file; "{d}" is the day)
_DAY_SOURCES: list[tuple[SourceSpec, str]] = [
    (
        SourceSpec(name="arxiv", type="arxiv", kind="papers", url="saved:", max_items=1000),
        "arxiv_cs.AI_{d}.jsonl",
    ),
    (
        SourceSpec(name="hf-daily-papers", type="hf_daily", kind="papers", url="saved:"),
        "hf_daily_papers_{d}.json",
    ),
]
_NEWS_SOURCES: list[tuple[SourceSpec, str]] = [
    (
        SourceSpec(name="openai-news", type="feed", kind="news", url="saved:", max_items=25),
        "openai_news_rss_2025-07-28.xml",
    ),
    (
        SourceSpec(name="google-ai-blog", type="feed", kind="news", url="saved:", max_items=20),
        "google_ai_blog_rss_2025-07-24.xml",
    ),
    (
        SourceSpec(
            name="geeknews", type="feed", kind="news", url="saved:", lang="ko", max_items=50
        ),
        "geeknews_ko_atom_2026-09-29.xml",
    ),
    (
        SourceSpec(name="hackernews", type="feed", kind="news", url="saved:", max_items=30),
        "hackernews_frontpage_rss_2026-03-22.xml",
    ),
]


def _read(name: str) -> bytes:
    return resources.files("core.data").joinpath("demo", name).read_bytes()


def demo_results(day: date = DEMO_DATE, news: bool = True) -> list[SourceResult]:
    """The saved sources of `day`, parsed by the real parsers, as a build collects them."""
    pairs = _DAY_SOURCES + (_NEWS_SOURCES if news else [])
    out = []
    for spec, pattern in pairs:
        items = parse_saved(spec, _read(pattern.format(d=day.isoformat())))
        out.append(
            SourceResult(
                SourceStatus(name=spec.name, kind=spec.kind, ok=True, items=len(items)), items
            )
        )
    return out


def demo_now(day: date = DEMO_DATE) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=22)


def demo_history(taxonomy: Taxonomy, engine: Engine | None = None) -> History:
    """Papers' category counts of the bundled days before the demo day (for the trend chart)."""
    out: dict[str, dict[str, dict[str, int]]] = {}
    for back in (3, 2, 1):
        day = DEMO_DATE - timedelta(days=back)
        results = demo_results(day, news=False)
        items, labels = merge_and_classify(results, taxonomy, engine or Engine(), demo_now(day))
        out[day.isoformat()] = {"papers": category_counts(items, labels, taxonomy, "papers")}
    return out


__all__ = ["DEMO_DATE", "demo_history", "demo_now", "demo_results"]
