"""One day, as data (DESIGN.md steps 1–5), as plain functions with two drivers: `build_day` runs
them inline (the CLI), and the RQ jobs (workers/jobs.py) run them one job each.

    collect_source / collect_all   step 1 (core/collecting.py): each source by its watermark
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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from core import charts, counting
from core.classify import NOT_AI, classify_offline
from core.collecting import (  # step 1, re-exported: the pipeline's steps are all here
    INTAKE_TYPES,
    SourceResult,
    collect_all,
    collect_source,
    every_source_failed,
)
from core.digest import BuildInfo, Digest, History, KindDigest, Section, SourceRef, SourceStatus
from core.engine import Engine
from core.item_list import ItemRow
from core.item_list import rows as item_rows
from core.items import KINDS, Item
from core.merge import merge
from core.notes import kind_note
from core.plan import SectionInput, category_counts, plan_sections
from core.taxonomy import OTHERS, Taxonomy

TREND_DAYS = 7
FEATURED_CAP = 10  # items featured again, listed per kind


@dataclass
class DayPlan:
    """What a day's classification decided: its items, their labels, the sections to write."""

    items: list[Item]  # the items about AI (those skipped are in `kinds[...].skipped`)
    labels: dict[str, str]  # item id -> category id, for `items`
    inputs: list[SectionInput]  # every language's sections, in digest order
    kinds: dict[str, KindDigest]
    statuses: list[SourceStatus]
    rows: list[ItemRow] = field(default_factory=list)  # items.jsonl: skipped ones included


@dataclass
class BuiltDay:
    date: str
    digests: dict[str, Digest]  # language -> digest
    charts: dict[str, bytes]  # "news", "papers", "news-trend", "papers-trend" -> PNG
    items: list[Item] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    rows: list[ItemRow] = field(default_factory=list)  # items.jsonl: every item of the day


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
    *,
    langs: Sequence[str] = ("en",),
    tz: str = "UTC",
) -> dict[str, KindDigest]:
    """Per kind: counts by category, the sections, the items in Others and those skipped as not
    about AI (`items` holds only the items about AI), and the note of every language
    (core/notes.py; `tz` is the digest's time zone, where arXiv's next announcement is told)."""
    out: dict[str, KindDigest] = {}
    for kind in KINDS:
        counts = category_counts(items, labels, taxonomy, kind)
        total = sum(counts.values())
        notes = {lang: kind_note(kind, total, statuses, tz, lang) for lang in langs}
        out[kind] = KindDigest(
            kind=kind,
            total=total,
            counts=counts,
            names={c.id: c.name for c in taxonomy.of(kind)},
            sections=list(dict.fromkeys(p.category for p in plans if p.kind == kind)),
            note=notes[langs[0]] if langs else "",
            notes=notes,
            others=_refs(i for i in items if i.kind == kind and labels[i.id] == OTHERS),
            skipped=_refs(i for i in skipped if i.kind == kind),
        )
    return out


def _refs(items: Iterable[Item]) -> list[SourceRef]:
    return [
        SourceRef(n=n, item_id=i.id, title=i.title, url=i.url, source=i.source)
        for n, i in enumerate(items, start=1)
    ]


def draw_charts(
    day: date, kinds: Mapping[str, KindDigest], history: History, lang: str = "en"
) -> dict[str, bytes]:
    """Step 5: per kind, the category distribution (its subtitle in `lang`), and the trend of
    the last TREND_DAYS days once an earlier day of the kind is known: every day from the first
    known one is plotted, 0 for a day without items (or without a digest: a missed build's
    items are in the next day's)."""
    out: dict[str, bytes] = {}
    window = [(day - timedelta(days=d)).isoformat() for d in range(TREND_DAYS - 1, -1, -1)]
    for kind, kd in kinds.items():
        counts = [(kd.names[c], n) for c, n in kd.counts.items()]
        n_cats = sum(1 for c, n in kd.counts.items() if n and c != OTHERS)
        out[kind] = charts.distribution_png(
            f"{kind.title()} · {day.isoformat()}",
            counts,
            subtitle=f"{counting.items(kd.total, lang)} · {counting.categories(n_cats, lang)}",
            muted=(kd.names.get(OTHERS, "Others"),),
        )
        known = [d for d in window[:-1] if kind in history.get(d, {})]
        if known:
            span = window[window.index(known[0]) :]
            series = {
                kd.names[c]: [
                    kd.counts[c]
                    if d == day.isoformat()
                    else history.get(d, {}).get(kind, {}).get(c, 0)
                    for d in span
                ]
                for c in kd.counts
            }
            out[f"{kind}-trend"] = charts.trend_png(f"{kind.title()} · last 7 days", span, series)
    return out


def plan_day(
    day: date,
    results: Sequence[SourceResult],
    taxonomy: Taxonomy,
    engine: Engine,
    *,
    langs: Sequence[str],
    section_cap: int,
    now: datetime,
    tz: str = "UTC",
) -> DayPlan:
    """Steps 2–3 and the plan: merged, ranked, labelled items and every language's sections.
    Items not about AI are set aside before sections and charts, and counted per source; the
    day's item list keeps them, saying why they were left out."""
    everything, all_labels = merge_and_classify(results, taxonomy, engine, now)
    items, skipped, statuses = relevant(everything, all_labels, [r.status for r in results])
    labels = {i.id: all_labels[i.id] for i in items}
    inputs = [
        p
        for lang in langs
        for p in plan_sections(day.isoformat(), lang, items, labels, taxonomy, section_cap)
    ]
    kinds = kind_digests(
        day, items, labels, taxonomy, inputs, statuses, skipped, langs=langs, tz=tz
    )
    for kind, kd in kinds.items():
        kd.featured = featured_refs([i for r in results for i in r.featured if i.kind == kind])
    rows = item_rows(everything, labels, {i.id: "not-ai" for i in skipped})
    return DayPlan(items, labels, inputs, kinds, statuses, rows)


def finish_day(
    day: date,
    langs: Sequence[str],
    kinds: Mapping[str, KindDigest],
    sections: Sequence[Section],
    pngs: Mapping[str, bytes],
    build: BuildInfo,
    plan: DayPlan | None = None,
    rows: Sequence[ItemRow] | None = None,
) -> BuiltDay:
    """The day's digest in every language, each with its own sections, and the day's item
    list (from `plan`, or `rows` as a build kept them)."""
    digests = {
        lang: Digest(
            date=day.isoformat(),
            lang=lang,
            kinds={k: _in_lang(kd, lang) for k, kd in kinds.items()},
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
        rows=plan.rows if plan else list(rows or []),
    )


def featured_refs(items: Sequence[Item], cap: int = FEATURED_CAP) -> list[SourceRef]:
    """Items featured again today, most upvoted first, one per id."""
    unique = {i.id: i for i in sorted(items, key=lambda i: i.upvotes)}  # the most upvotes wins
    ranked = sorted(unique.values(), key=lambda i: (-i.upvotes, i.id))[:cap]
    return [
        SourceRef(n=n, item_id=i.id, title=i.title, url=i.url, source=i.source, upvotes=i.upvotes)
        for n, i in enumerate(ranked, 1)
    ]


def _in_lang(kd: KindDigest, lang: str) -> KindDigest:
    return kd.model_copy(update={"note": kd.notes.get(lang, kd.note)})


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
    tz: str = "UTC",
) -> BuiltDay:
    """Steps 2–5 inline, for every language, from the collected `results`."""
    engine = engine or Engine()
    started = time.monotonic()
    plan = plan_day(
        day, results, taxonomy, engine, langs=langs, section_cap=section_cap, now=now, tz=tz
    )
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
    pngs = draw_charts(day, plan.kinds, history or {}, langs[0] if langs else "en")
    return finish_day(day, langs, plan.kinds, sections, pngs, build, plan)


__all__ = [
    "INTAKE_TYPES",
    "BuiltDay",
    "DayPlan",
    "SourceResult",
    "build_day",
    "collect_all",
    "collect_source",
    "draw_charts",
    "every_source_failed",
    "featured_refs",
    "finish_day",
    "kind_digests",
    "merge_and_classify",
    "plan_day",
    "relevant",
]
