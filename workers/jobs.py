"""The RQ jobs of one day (see workers/queues.py for the graph): thin glue over core.pipeline.

Jobs are entry points of a kind: each loads the settings and takes its Redis connection from RQ.
Arguments are JSON (date, run, a name); what jobs hand each other is build scratch
(workers/builds.py). A job of a run that a forced rebuild replaced does nothing. Every job can run
twice (RQ retries abandoned jobs): each writes keys of its own, and publish writes once.
"""

from __future__ import annotations

import logging
import os
import time
from datetime import date, datetime
from typing import Any

from redis import Redis, WatchError
from rq import get_current_job

from core.digest import BuildInfo, SourceStatus
from core.engine import make_engine
from core.extractive import summarise_offline
from core.localtime import SystemClock
from core.pipeline import (
    BuiltDay,
    SourceResult,
    assemble,
    collect_source,
    draw_charts,
    kind_digests,
    merge_and_classify,
)
from core.plan import plan_sections
from core.settings import Settings, load_settings
from core.store import Store
from core.taxonomy import load_taxonomy
from workers import cron, defaults, queues
from workers.builds import BuildRecord, Builds, Plan

log = logging.getLogger(__name__)


def _context(day: str, run: int) -> tuple[Settings, Redis[bytes], Builds, BuildRecord | None]:
    job = get_current_job()
    assert job is not None, "a job runs inside an RQ worker"
    settings = load_settings()
    builds = Builds(job.connection, settings.digest.key_prefix)
    rec = builds.record(day)
    if rec is None or rec.run != run:
        log.info("build %s run %s was replaced or removed: nothing to do", day, run)
        rec = None
    elif delay := _test_delay(job.id):
        time.sleep(delay)
    return settings, job.connection, builds, rec


def _test_delay(job_id: str) -> float:
    """A test hook: AIDIGEST_TEST_JOB_DELAY="<part of a job id>=<seconds>" slows matching jobs,
    so a test can kill a worker in the middle of one."""
    part, _, seconds = os.environ.get("AIDIGEST_TEST_JOB_DELAY", "").partition("=")
    return float(seconds) if part and part in job_id else 0.0


def collect(day: str, run: int, source: str) -> str:
    settings, _, builds, rec = _context(day, run)
    if rec is None:
        return "superseded"
    if rec.demo:
        from core.demo import demo_results

        found = [r for r in demo_results(date.fromisoformat(day)) if r.status.name == source]
        if not found:
            raise LookupError(f"{source} is not a source of the bundled sample day")
        result = found[0]
    else:
        from core.sources import make_client
        from core.sources.spec import load_sources
        from core.windows import news_window

        d = settings.digest
        spec = next((s for s in load_sources(d.sources_file) if s.name == source), None)
        if spec is None:
            raise LookupError(f"source {source} is no longer configured")
        window = news_window(date.fromisoformat(day), d.timezone, d.build_time)
        with make_client() as client:
            result = collect_source(client, spec, date.fromisoformat(day), window)
    builds.put_source(rec, result)
    s = result.status
    return f"{s.items} items" if s.ok else f"failed: {s.error}"


def classify(day: str, run: int) -> str:
    """Merge and classify the collected items, plan the sections, then fan out: one job per
    section, one for the charts, and publish after all of them."""
    settings, redis, builds, rec = _context(day, run)
    if rec is None:
        return "superseded"
    plan = builds.plan(rec)
    if plan is None:
        results = [
            builds.source(rec, n) or _lost_source(redis, rec, n, k) for n, k in rec.sources.items()
        ]
        if results and not any(r.status.ok for r in results):
            error = "every source failed: " + "; ".join(r.status.error for r in results)
            builds.finish(rec, "failed", error[:500])
            return error[:500]
        plan = _plan(settings, redis, builds, rec, results)
    steps = [(k, k[len(day) + 1 :]) for k in plan.sections]  # key = {date}-{kind}-{cat}-{lang}
    sections = [queues.job(rec, queues.SECTION, st, [day, run, k], "section") for k, st in steps]
    charts = queues.job(rec, queues.CHARTS, "charts", [day, run], "charts")
    after = [*(s.job_id for s in sections), charts.job_id]
    publish = queues.job(rec, queues.PUBLISH, "publish", [day, run], "publish", after=after)
    queues.enqueue_jobs(redis, builds, rec, [*sections, charts, publish])
    return f"{len(plan.sections)} sections"


def _plan(
    settings: Settings,
    redis: Redis[bytes],
    builds: Builds,
    rec: BuildRecord,
    results: list[SourceResult],
) -> Plan:
    taxonomy = load_taxonomy(settings.digest.taxonomy_file)
    engine = make_engine(settings, offline=rec.demo, redis=redis)
    day = date.fromisoformat(rec.date)
    items, labels = merge_and_classify(results, taxonomy, engine, datetime.fromisoformat(rec.now))
    inputs = [
        p
        for lang in rec.langs
        for p in plan_sections(rec.date, lang, items, labels, taxonomy, rec.section_cap)
    ]
    statuses = [r.status for r in results]
    kinds = kind_digests(day, items, labels, taxonomy, inputs, statuses)
    plan = Plan(
        engine=engine.name, kinds=kinds, statuses=statuses, sections=[i.key for i in inputs]
    )
    kept = builds.put_plan(rec, plan, inputs)
    builds.add_usage(rec, *engine.usage())
    return kept


def _lost_source(redis: Redis[bytes], rec: BuildRecord, name: str, kind: str) -> SourceResult:
    why = queues.failure_reason(redis, queues.job_id(rec, f"collect-{name}"))
    status = SourceStatus.model_validate(
        {"name": name, "kind": kind, "ok": False, "error": f"collect job failed: {why}"}
    )
    return SourceResult(status, [])


def section(day: str, run: int, key: str) -> str:
    settings, redis, builds, rec = _context(day, run)
    if rec is None:
        return "superseded"
    engine = make_engine(settings, offline=rec.demo, redis=redis)
    [summary] = engine.summarise([builds.section_input(rec, key)])
    builds.put_section(rec, key, summary)
    builds.add_usage(rec, *engine.usage())
    return summary.mode


def charts(day: str, run: int) -> str:
    settings, redis, builds, rec = _context(day, run)
    if rec is None:
        return "superseded"
    pngs = _draw(settings, redis, rec, _plan_of(builds, rec))
    builds.put_charts(rec, pngs)
    return ", ".join(pngs)


def _draw(
    settings: Settings, redis: Redis[bytes], rec: BuildRecord, plan: Plan
) -> dict[str, bytes]:
    d = settings.digest
    if rec.demo:
        from core.demo import demo_history

        history = demo_history(load_taxonomy(d.taxonomy_file))
    else:
        history = Store(redis, d.key_prefix, d.retention_days).history(rec.date)
    return draw_charts(date.fromisoformat(rec.date), plan.kinds, history)


def _plan_of(builds: Builds, rec: BuildRecord) -> Plan:
    plan = builds.plan(rec)
    if plan is None:
        raise LookupError(f"build {rec.date} run {rec.run}: no plan (classify has not run)")
    return plan


def publish(day: str, run: int) -> str:
    """Assemble and store the day in one transaction that also marks the build ready. A section
    whose job failed gets the offline summary, and the digest says why."""
    settings, redis, builds, rec = _context(day, run)
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
    when = date.fromisoformat(day)
    built = BuiltDay(
        date=day,
        charts=pngs,
        digests={lang: assemble(when, lang, plan.kinds, sections, info) for lang in rec.langs},
    )
    d = settings.digest
    return _save_once(redis, builds, Store(redis, d.key_prefix, d.retention_days), rec, built)


def _save_once(
    redis: Redis[bytes], builds: Builds, store: Store, rec: BuildRecord, built: BuiltDay
) -> str:
    with redis.pipeline(transaction=True) as pipe:
        while True:
            try:
                pipe.watch(builds.key(rec.date))
                raw: Any = pipe.get(builds.key(rec.date))  # immediate while watching
                cur = BuildRecord.model_validate_json(raw) if raw else None
                if cur is None or cur.run != rec.run or cur.state == "ready":
                    pipe.unwatch()
                    return "already published or superseded"
                pipe.multi()
                store.save_day(built, pipeline=pipe)
                builds.finish(rec, "ready", pipeline=pipe)
                pipe.execute()
                return f"published {rec.date}"
            except WatchError:
                continue


def tick(demo: bool = False) -> str:
    """The schedule's heartbeat (workers/cron.py): enqueue today's build once it is due and
    neither building nor built; a failed day is tried again after a cool-down. With `demo`,
    keep the bundled sample day built."""
    job = get_current_job()
    assert job is not None, "a job runs inside an RQ worker"
    settings = load_settings()
    d = settings.digest
    day = (
        None if demo else cron.due_day(SystemClock(d.clock_offset).now(), d.timezone, d.build_time)
    )
    if day is None and not demo:
        return "not due"
    builds = Builds(job.connection, d.key_prefix)
    if day is not None:
        old = builds.record(day.isoformat())
        cooling = time.time() - defaults.FAILED_COOLDOWN
        if old and old.state == "failed" and (old.finished_at or 0) > cooling:
            return f"{day} failed recently: waiting"
    rec = queues.enqueue_build(job.connection, settings, day, demo=demo, reason="tick")
    return f"enqueued {rec.date} run {rec.run}" if rec else "building or built"
