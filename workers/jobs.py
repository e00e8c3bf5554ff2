"""The RQ jobs of one day (see workers/queues.py for the graph): the steps of core/pipeline.py,
one job each.

Jobs are entry points of a kind: each loads the settings and takes its Redis connection from RQ.
Arguments are JSON (date, the build's token, a name); what jobs hand each other is build scratch
(workers/builds.py). A job of a build that was replaced (forced, or lost with Redis) does nothing.
Every job can run twice (RQ retries abandoned jobs): each writes keys of its own, and publish
writes once.
"""

from __future__ import annotations

import logging
import time
from datetime import date, datetime
from typing import Any

from redis import Redis, WatchError
from rq import get_current_job

from core.digest import BuildInfo, History, SourceStatus
from core.engine import make_engine
from core.extractive import summarise_offline
from core.history import combined, saved_history
from core.intake import lookback_for
from core.localtime import SystemClock
from core.pipeline import (
    BuiltDay,
    SourceResult,
    collect_source,
    draw_charts,
    every_source_failed,
    finish_day,
    plan_day,
)
from core.settings import Settings, load_settings
from core.sources import make_client
from core.sources.spec import SourceSpec, load_sources
from core.store.keys import Keys
from core.store.marks import RedisWatermarks
from core.store.sync_reader import DayReader
from core.store.writer import save_day
from core.taxonomy import load_taxonomy
from core.windows import news_window
from workers import cron, defaults, queues
from workers.builds import BuildRecord, Builds, Plan

log = logging.getLogger(__name__)


def _context(day: str, build: str) -> tuple[Settings, Redis[bytes], Builds, BuildRecord | None]:
    job = get_current_job()
    assert job is not None, "a job runs inside an RQ worker"
    settings = load_settings()
    builds = Builds(job.connection, Keys(settings.digest.key_prefix))
    rec = builds.record(day)
    if rec is None or rec.token != build:
        log.info("build %s %s was replaced or removed: nothing to do", day, build)
        rec = None
    return settings, job.connection, builds, rec


def _specs(settings: Settings, rec: BuildRecord) -> list[SourceSpec]:
    return load_sources(rec.sources_file or settings.digest.sources_file)


def collect(day: str, build: str, source: str) -> str:
    """One source's new items for the day, by its watermark in Redis (a day collected before
    is replayed: the same items)."""
    settings, redis, builds, rec = _context(day, build)
    if rec is None:
        return "superseded"
    spec = next((s for s in _specs(settings, rec) if s.name == source), None)
    if spec is None:
        raise LookupError(f"source {source} is no longer configured")
    d = settings.digest
    when = date.fromisoformat(day)
    marks = RedisWatermarks(redis, builds.keys, d.retention_days)
    with make_client() as client:
        result = collect_source(
            client,
            spec,
            when,
            news_window(when, d.timezone, d.build_time),
            marks=marks,
            now=SystemClock(d.clock_offset).now(),
            lookback=lookback_for(d.arxiv_holidays_file),
        )
    builds.put_source(rec, result)
    s = result.status
    return f"{s.items} items" if s.ok else f"failed: {s.error}"


def classify(day: str, build: str) -> str:
    """Merge and classify the collected items, plan the sections, then fan out: one job per
    section, one for the charts, and publish after all of them."""
    settings, redis, builds, rec = _context(day, build)
    if rec is None:
        return "superseded"
    plan = builds.plan(rec)
    if plan is None:
        results = [
            builds.source(rec, n) or _lost_source(redis, rec, n, k) for n, k in rec.sources.items()
        ]
        if every_source_failed(results):
            failed = [r.status.error for r in results if not r.status.ok]
            error = "every source failed: " + "; ".join(failed)
            builds.finish(rec, "failed", error[:500])
            return error[:500]
        engine = make_engine(settings, offline=rec.offline, redis=redis)
        engine.share_budget(rec.enqueued_at, builds.usage(rec)[1])  # the build's LLM budget
        taxonomy = load_taxonomy(settings.digest.taxonomy_file)
        day_plan = plan_day(
            date.fromisoformat(day),
            results,
            taxonomy,
            engine,
            langs=rec.langs,
            section_cap=rec.section_cap,
            now=datetime.fromisoformat(rec.now),
            tz=settings.digest.timezone,
        )
        keys = [i.key for i in day_plan.inputs]
        found = Plan(
            engine=engine.name,
            kinds=day_plan.kinds,
            statuses=day_plan.statuses,
            sections=keys,
            rows=day_plan.rows,
        )
        plan = builds.put_plan(rec, found, day_plan.inputs)
        builds.add_usage(rec, *engine.usage())
    steps = [(k, k[len(day) + 1 :]) for k in plan.sections]  # key = {date}-{kind}-{cat}-{lang}
    sections = [queues.job(rec, queues.SECTION, st, [day, build, k], "section") for k, st in steps]
    charts = queues.job(rec, queues.CHARTS, "charts", [day, build], "charts")
    after = [*(s.job_id for s in sections), charts.job_id]
    publish = queues.job(rec, queues.PUBLISH, "publish", [day, build], "publish", after=after)
    queues.enqueue_jobs(redis, builds, rec, [*sections, charts, publish])
    return f"{len(plan.sections)} sections"


def _lost_source(redis: Redis[bytes], rec: BuildRecord, name: str, kind: str) -> SourceResult:
    why = queues.failure_reason(redis, queues.job_id(rec, f"collect-{name}"))
    status = SourceStatus.model_validate(
        {"name": name, "kind": kind, "ok": False, "error": f"collect job failed: {why}"}
    )
    return SourceResult(status, [])


def section(day: str, build: str, key: str) -> str:
    settings, redis, builds, rec = _context(day, build)
    if rec is None:
        return "superseded"
    engine = make_engine(settings, offline=rec.offline, redis=redis)
    engine.share_budget(rec.enqueued_at, builds.usage(rec)[1])  # one LLM budget per build
    [summary] = engine.summarise([builds.section_input(rec, key)])
    builds.put_section(rec, key, summary)
    builds.add_usage(rec, *engine.usage())
    if summary.mode == "offline-fallback":  # what `aidigest status` shows for the job
        return f"offline ({summary.fallback}): {summary.note}"
    return summary.mode


def charts(day: str, build: str) -> str:
    settings, redis, builds, rec = _context(day, build)
    if rec is None:
        return "superseded"
    pngs = _draw(settings, redis, rec, _plan_of(builds, rec))
    builds.put_charts(rec, pngs)
    return ", ".join(pngs)


def _history(settings: Settings, redis: Redis[bytes], rec: BuildRecord) -> History:
    d = settings.digest
    published = DayReader(redis, Keys(d.key_prefix), d.retention_days).history(rec.date)
    taxonomy = load_taxonomy(d.taxonomy_file)
    return combined(
        saved_history(_specs(settings, rec), date.fromisoformat(rec.date), taxonomy), published
    )


def _draw(
    settings: Settings, redis: Redis[bytes], rec: BuildRecord, plan: Plan
) -> dict[str, bytes]:
    history = _history(settings, redis, rec)
    return draw_charts(date.fromisoformat(rec.date), plan.kinds, history, rec.langs[0])


def _plan_of(builds: Builds, rec: BuildRecord) -> Plan:
    plan = builds.plan(rec)
    if plan is None:
        raise LookupError(f"build {rec.date} run {rec.run}: no plan (classify has not run)")
    return plan


def publish(day: str, build: str) -> str:
    """Assemble and store the day in one transaction that also marks the build ready. A section
    whose job failed gets the offline summary, and the digest says why."""
    settings, redis, builds, rec = _context(day, build)
    if rec is None:
        return "superseded"
    plan = _plan_of(builds, rec)
    notes, sections = [], []
    for key in plan.sections:
        found = builds.section(rec, key)
        if found is None:
            why = queues.failure_reason(redis, queues.job_id(rec, key[len(day) + 1 :]))
            found = summarise_offline(builds.section_input(rec, key), note=f"summary failed: {why}")
            notes.append(f"{key}: offline summary, the summary job failed: {why}")
        sections.append(found)
    pngs = builds.charts(rec)
    if pngs is None:
        notes.append("charts: drawn at publish, the charts job failed")
        pngs = _draw(settings, redis, rec, plan)
    calls, tokens = builds.usage(rec)
    info = BuildInfo(
        started=rec.now,
        seconds=round(time.time() - rec.enqueued_at, 3),
        sources=plan.statuses,
        llm=plan.engine,
        llm_calls=calls,
        tokens=tokens,
        notes=notes,
    )
    built = finish_day(
        date.fromisoformat(day), rec.langs, plan.kinds, sections, pngs, info, rows=plan.rows
    )
    result = _save_once(redis, builds, settings, rec, built)
    now = builds.record(day)
    if now is not None and now.token == rec.token and now.state == "ready":
        # Search: the items the day keeps (its sections' sources, with their text) and its
        # summaries. Indexing again replaces the day's entries, so a retried publish is harmless.
        from core.search import SearchWriter

        cited = {}
        for key in plan.sections:
            inp = builds.section_input(rec, key)
            cited.update({item.id: (item, inp.category) for item in inp.items})
        built.items = [item for item, _ in cited.values()]
        built.labels = {ident: cat for ident, (_, cat) in cited.items()}
        SearchWriter(redis, builds.keys, settings.digest.retention_days).index_built(built)
    return result


def _save_once(
    redis: Redis[bytes], builds: Builds, settings: Settings, rec: BuildRecord, built: BuiltDay
) -> str:
    d = settings.digest
    with redis.pipeline(transaction=True) as pipe:
        while True:
            try:
                pipe.watch(builds.key(rec.date))
                raw: Any = pipe.get(builds.key(rec.date))  # immediate while watching
                cur = BuildRecord.model_validate_json(raw) if raw else None
                if cur is None or cur.token != rec.token or cur.state == "ready":
                    pipe.unwatch()
                    return "already published or superseded"
                pipe.multi()
                save_day(redis, builds.keys, built, d.retention_days, pipeline=pipe)
                builds.finish(rec, "ready", pipeline=pipe)
                pipe.execute()
                return f"published {rec.date}"
            except WatchError:
                continue


def tick(fixed: dict[str, Any] | None = None) -> str:
    """The schedule's heartbeat (workers/cron.py): enqueue today's build once it is due and
    neither building nor built; a failed day is tried again after a cool-down. `fixed` keeps one
    given build built instead (queues.enqueue_build's keyword arguments: date, sources_file, now,
    offline), as `python -m workers.cron --demo` does with the bundled sample day."""
    job = get_current_job()
    assert job is not None, "a job runs inside an RQ worker"
    settings = load_settings()
    d = settings.digest
    now = SystemClock(d.clock_offset).now()
    day = (
        date.fromisoformat(fixed["date"]) if fixed else cron.due_day(now, d.timezone, d.build_time)
    )
    if day is None:
        return "not due"
    builds = Builds(job.connection, Keys(d.key_prefix))
    old = builds.record(day.isoformat())
    cooling = time.time() - defaults.FAILED_COOLDOWN
    if old and old.state == "failed" and (old.finished_at or 0) > cooling:
        return f"{day} failed recently: waiting"
    options = {k: v for k, v in (fixed or {}).items() if k != "date"}
    if "now" in options:
        options["now"] = datetime.fromisoformat(options["now"])
    rec = queues.enqueue_build(job.connection, settings, day, reason="tick", **options)
    return f"enqueued {rec.date} run {rec.run}" if rec else "building or built"
