"""One day, as data (DESIGN.md steps 1–5), as plain functions with two drivers: `build_day` runs
them inline (the CLI), and the RQ jobs (workers/jobs.py) run them one job each.

    collect_source / collect_all   step 1: a source's items; a failure is recorded, never raised
    plan_day                       steps 2–3: merge, classify, set aside what is not about AI,
                                   and the sections to summarise
    Engine.summarise               step 4: one section per input (core/engine.py)
    draw_charts                    step 5: per kind, the distribution and the 7-day trend
    finish_day                     the digest of every language, with its build info

Nothing here touches Redis, RQ or a chat platform.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import httpx

from core import charts
from core.classify import NOT_AI, classify_offline
from core.digest import BuildInfo, Digest, History, KindDigest, Section, SourceRef, SourceStatus
from core.engine import Engine
from core.items import KINDS, Item, Kind
from core.merge import merge
from core.plan import SectionInput, category_counts, plan_sections
from core.sources import SourceError, collect
from core.sources.spec import SourceSpec
from core.taxonomy import OTHERS, Taxonomy
from core.windows import is_weekend, source_day


@dataclass
class SourceResult:
    status: SourceStatus
    items: list[Item]


@dataclass
class DayPlan:
    """What a day's classification decided: its items, their labels, the sections to write."""

    items: list[Item]  # the items about AI (those skipped are in `kinds[...].skipped`)
    labels: dict[str, str]  # item id -> category id, for `items`
    inputs: list[SectionInput]  # every language's sections, in digest order
    kinds: dict[str, KindDigest]
    statuses: list[SourceStatus]


@dataclass
class BuiltDay:
    date: str
    digests: dict[str, Digest]  # language -> digest
    charts: dict[str, bytes]  # "news", "papers", "news-trend", "papers-trend" -> PNG
    items: list[Item] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)


def collect_source(
    client: httpx.Client,
    spec: SourceSpec,
    day: date,
    window: tuple[datetime, datetime] | None,
) -> SourceResult:
    """Step 1 for one source. A failure is recorded, never raised: the day goes on without it."""
    t0 = time.monotonic()
    try:
        items = collect(client, spec, source_day(day, spec.type), window)
        status = SourceStatus(name=spec.name, kind=spec.kind, ok=True, items=len(items))
    except SourceError as e:
        items, status = [], SourceStatus(name=spec.name, kind=spec.kind, ok=False, error=str(e))
    except Exception as e:  # a parser bug must not kill the day either
        items = []
        status = SourceStatus(
            name=spec.name, kind=spec.kind, ok=False, error=f"{type(e).__name__}: {e}"[:300]
        )
    status.seconds = round(time.monotonic() - t0, 3)
    status.trusted = spec.trusted
    return SourceResult(status, items)


def merge_and_classify(
    results: Sequence[SourceResult], taxonomy: Taxonomy, engine: Engine, now: datetime
) -> tuple[list[Item], dict[str, str]]:
    """Steps 2–3: every item of every working source, deduplicated, ranked, labelled with a
    category, or NOT_AI when the classifier judged it not about AI and no trusted source
    carried it. No item is lost, whatever a classifier answers."""
    items = merge((i for r in results for i in r.items), now)
    labels = engine.classify(items, taxonomy)
    trusted = {r.status.name for r in results if r.status.trusted}
    known = {k: set(taxonomy.ids(k)) for k in KINDS}
    for item in items:
        label = labels.get(item.id)
        if label == NOT_AI and not trusted.intersection((item.source, *item.also_in)):
            continue
        if label not in known[item.kind]:
            labels[item.id] = classify_offline([item], taxonomy)[item.id]
    return items, labels


def relevant(
    items: Sequence[Item], labels: Mapping[str, str], statuses: Sequence[SourceStatus]
) -> tuple[list[Item], list[Item], list[SourceStatus]]:
    """The items about AI, the items skipped as not about AI, and the source statuses with how
    many of each source's items were skipped."""
    kept = [i for i in items if labels[i.id] != NOT_AI]
    skipped = [i for i in items if labels[i.id] == NOT_AI]
    per_source = Counter(i.source for i in skipped)
    counted = [s.model_copy(update={"skipped": per_source.get(s.name, 0)}) for s in statuses]
    return kept, skipped, counted


def kind_digests(
    day: date,
    items: Sequence[Item],
    labels: Mapping[str, str],
    taxonomy: Taxonomy,
    plans: Sequence[SectionInput],
    statuses: Sequence[SourceStatus],
    skipped: Sequence[Item] = (),
) -> dict[str, KindDigest]:
    """Per kind: counts by category, the sections, the items in Others and those skipped as not
    about AI (`items` holds only the items about AI)."""
    out: dict[str, KindDigest] = {}
    for kind in KINDS:
        counts = category_counts(items, labels, taxonomy, kind)
        out[kind] = KindDigest(
            kind=kind,
            total=sum(counts.values()),
            counts=counts,
            names={c.id: c.name for c in taxonomy.of(kind)},
            sections=list(dict.fromkeys(p.category for p in plans if p.kind == kind)),
            note=_kind_note(day, kind, counts, statuses),
            others=_refs(i for i in items if i.kind == kind and labels[i.id] == OTHERS),
            skipped=_refs(i for i in skipped if i.kind == kind),
        )
    return out


def _refs(items: Iterable[Item]) -> list[SourceRef]:
    return [
        SourceRef(n=n, item_id=i.id, title=i.title, url=i.url, source=i.source)
        for n, i in enumerate(items, start=1)
    ]


def _kind_note(
    day: date, kind: Kind, counts: Mapping[str, int], statuses: Sequence[SourceStatus]
) -> str:
    mine = [s for s in statuses if s.kind == kind]
    failed = [s.name for s in mine if not s.ok]
    notes = []
    if failed:
        notes.append(f"Failed sources: {', '.join(failed)}.")
    arxiv_day = source_day(day, "arxiv")
    arxiv_empty = any(s.name == "arxiv" and s.ok and s.items == 0 for s in mine)
    if kind == "papers" and is_weekend(arxiv_day) and arxiv_empty:
        notes.append(
            f"arXiv announces nothing on weekends ({arxiv_day:%A} {arxiv_day.isoformat()})."
        )
    if sum(counts.values()) == 0 and not mine:
        notes.append(f"No {kind} source is configured.")
    return " ".join(notes)


def draw_charts(day: date, kinds: Mapping[str, KindDigest], history: History) -> dict[str, bytes]:
    """Step 5: per kind, the category distribution, and the 7-day trend when earlier days exist."""
    out: dict[str, bytes] = {}
    for kind, kd in kinds.items():
        counts = [(kd.names[c], n) for c, n in kd.counts.items()]
        n_cats = sum(1 for c, n in kd.counts.items() if n and c != OTHERS)
        out[kind] = charts.distribution_png(
            f"{kind.title()} · {day.isoformat()}",
            counts,
            subtitle=f"{kd.total} items · {n_cats} categories",
            muted=(kd.names.get(OTHERS, "Others"),),
        )
        days = [(day - timedelta(days=d)).isoformat() for d in range(6, 0, -1)]
        known = [d for d in days if kind in history.get(d, {})]
        if known:
            span = [*known, day.isoformat()]
            series = {
                kd.names[c]: [
                    (history[d][kind].get(c, 0) if d != day.isoformat() else kd.counts[c])
                    for d in span
                ]
                for c in kd.counts
            }
            out[f"{kind}-trend"] = charts.trend_png(f"{kind.title()} · last 7 days", span, series)
    return out


def collect_all(
    client: httpx.Client,
    specs: Sequence[SourceSpec],
    day: date,
    window: tuple[datetime, datetime] | None,
    *,
    workers: int = 8,
    on_done: Callable[[SourceResult], None] | None = None,
) -> list[SourceResult]:
    """Step 1 for every source at once; results in the order of `specs`."""
    results: dict[str, SourceResult] = {}
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(specs) or 1))) as pool:
        futures = [pool.submit(collect_source, client, s, day, window) for s in specs]
        for fut in as_completed(futures):
            r = fut.result()
            results[r.status.name] = r
            if on_done is not None:
                on_done(r)
    return [results[s.name] for s in specs]


def plan_day(
    day: date,
    results: Sequence[SourceResult],
    taxonomy: Taxonomy,
    engine: Engine,
    *,
    langs: Sequence[str],
    section_cap: int,
    now: datetime,
) -> DayPlan:
    """Steps 2–3 and the plan: merged, ranked, labelled items and every language's sections.
    Items not about AI are set aside before sections and charts, and counted per source."""
    everything, all_labels = merge_and_classify(results, taxonomy, engine, now)
    items, skipped, statuses = relevant(everything, all_labels, [r.status for r in results])
    labels = {i.id: all_labels[i.id] for i in items}
    inputs = [
        p
        for lang in langs
        for p in plan_sections(day.isoformat(), lang, items, labels, taxonomy, section_cap)
    ]
    kinds = kind_digests(day, items, labels, taxonomy, inputs, statuses, skipped)
    return DayPlan(items, labels, inputs, kinds, statuses)


def finish_day(
    day: date,
    langs: Sequence[str],
    kinds: Mapping[str, KindDigest],
    sections: Sequence[Section],
    pngs: Mapping[str, bytes],
    build: BuildInfo,
    plan: DayPlan | None = None,
) -> BuiltDay:
    """The day's digest in every language, each with its own sections."""
    digests = {
        lang: Digest(
            date=day.isoformat(),
            lang=lang,
            kinds=dict(kinds),
            sections=[s for s in sections if s.lang == lang],
            build=build,
        )
        for lang in langs
    }
    return BuiltDay(
        date=day.isoformat(),
        digests=digests,
        charts=dict(pngs),
        items=plan.items if plan else [],
        labels=plan.labels if plan else {},
    )


def build_day(
    day: date,
    results: Sequence[SourceResult],
    taxonomy: Taxonomy,
    *,
    langs: Sequence[str],
    section_cap: int,
    now: datetime,
    engine: Engine | None = None,
    history: History | None = None,
) -> BuiltDay:
    """Steps 2–5 inline, for every language, from the collected `results`."""
    engine = engine or Engine()
    started = time.monotonic()
    plan = plan_day(day, results, taxonomy, engine, langs=langs, section_cap=section_cap, now=now)
    sections = engine.summarise(plan.inputs)
    calls, tokens = engine.usage()
    build = BuildInfo(
        started=now.isoformat(),
        seconds=round(time.monotonic() - started, 3),
        sources=plan.statuses,
        llm=engine.name,
        llm_calls=calls,
        tokens=tokens,
    )
    pngs = draw_charts(day, plan.kinds, history or {})
    return finish_day(day, langs, plan.kinds, sections, pngs, build, plan)
