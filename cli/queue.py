"""The commands that talk to the workers through Redis:

aidigest enqueue [--date D | --demo] [--force]   enqueue a day's build (or the sample day)
aidigest status [--date D]                       the system's health, then a build's jobs,
                                                 failures and why, sources (and how many of
                                                 their items were not about AI), LLM use
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from rq import Worker
from rq.job import Job
from rq.serializers import JSONSerializer

from core import fallbacks
from core.demo import demo_build
from core.localtime import SystemClock, today_in
from core.settings import Settings
from core.store.connect import open_redis, problem
from core.store.keys import Keys
from core.store.sync_reader import DayReader
from workers import defaults, queues
from workers.builds import BuildRecord, Builds
from workers.health import health_text


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _url(settings: Settings) -> str:
    return settings.redis.url or defaults.DEFAULT_REDIS_URL


def _redis(settings: Settings) -> Redis[bytes]:
    return open_redis(_url(settings))  # RedisUnavailable (a bad URL) is reported by cli.main


def _outage(command: str, e: RedisError, settings: Settings) -> int:
    _say(
        f"aidigest {command}: {problem(e, _url(settings))}. Start Redis or fix REDIS_URL: "
        "workers and the cron process wait for it and carry on by themselves."
    )
    return 2


def cmd_enqueue(args: argparse.Namespace, settings: Settings) -> int:
    day = date.fromisoformat(args.date) if args.date else None
    options: dict[str, Any] = {}
    if args.demo:
        fixed = demo_build()
        day, options = date.fromisoformat(fixed.pop("date")), fixed
        options["now"] = datetime.fromisoformat(options["now"])
    try:
        rec = queues.enqueue_build(
            _redis(settings), settings, day, force=args.force, reason="cli", **options
        )
    except RedisError as e:
        return _outage("enqueue", e, settings)
    if rec is None:
        what = day.isoformat() if day else ("the demo day" if args.demo else "today")
        _say(f"{what} is building or built; nothing enqueued (--force rebuilds).")
        return 0
    _say(
        f"Enqueued {rec.date} (run {rec.run}, {len(rec.sources)} sources"
        f"{', offline' if rec.offline else ''}). Run a worker: python -m workers --burst"
    )
    print(queues.job_id(rec, "publish"))
    return 0


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    d = settings.digest
    try:
        redis = _redis(settings)
        keys = Keys(d.key_prefix)
        store = DayReader(redis, keys, d.retention_days)
        builds = Builds(redis, keys)
        now = SystemClock(d.clock_offset).now()
        today = today_in(d.timezone, now)
        if not args.date:
            print(health_text(redis, keys, today, now, d.timezone, d.build_time))
            print()
        day = args.date or _default_day(builds, store, today)
        if day is None:
            _say("No build in Redis yet. Try: aidigest enqueue --demo")
            return 2
        print(status_text(redis, builds, store, day, d.language))
    except RedisError as e:
        return _outage("status", e, settings)
    return 0


def _default_day(builds: Builds, store: DayReader, today: date) -> str | None:
    iso = today.isoformat()
    return iso if builds.record(iso) else store.latest()


def status_text(redis: Redis[bytes], builds: Builds, store: DayReader, day: str, lang: str) -> str:
    rec = builds.record(day)
    digest = store.digest(day, lang)
    lines = [_headline(day, rec, digest is not None)]
    if rec is not None:
        ids = builds.jobs(rec)
        lines.append(f"Jobs ({len(ids)}):")
        alive = {w.name for w in Worker.all(connection=redis)}
        for jid, job in zip(
            ids, Job.fetch_many(ids, redis, serializer=JSONSerializer), strict=True
        ):
            status = job.get_status() if job else None
            state = status.value if status else "gone"
            said = queues.failure_reason(redis, jid) if state == "failed" else _said(job)
            if state == "started" and job is not None:
                said = _running(job, alive)
            lines.append(f"  {state!s:<9} {jid}  {said}")
        if rec.error:
            lines.append(f"Error: {rec.error}")
    if digest is not None:
        b = digest.build
        lines.append("Sources:")
        for s in b.sources:
            mark = f"{s.items} items" if s.ok else f"FAILED: {s.error}"
            if s.skipped:
                mark += f", {s.skipped} skipped as not about AI"
            lines.append(f"  {'✓' if s.ok else '✗'} {s.name:<20} {mark} ({s.seconds:.1f} s)")
        lines.append(f"LLM: {b.llm}, {b.llm_calls} calls, {b.tokens} tokens")
        lines += fallbacks.status_lines(digest)
        lines.append(f"Duration: {b.seconds:.1f} s (enqueued to published)")
        lines += [f"Note: {n}" for n in b.notes]
    return "\n".join(lines)


def _headline(day: str, rec: BuildRecord | None, published: bool) -> str:
    if rec is None:
        return f"{day}: {'published' if published else 'no build'} (no build record kept)"
    when = datetime.fromtimestamp(rec.enqueued_at, UTC).strftime("%Y-%m-%d %H:%M:%S")
    extra = f", sources {rec.sources_file}" if rec.sources_file else ""
    return f"{day}: {rec.state} (run {rec.run}{extra}, enqueued {when} UTC by {rec.reason or '?'})"


def _running(job: Job, alive: set[str]) -> str:
    """Who runs a started job, or why nobody does (its worker died, e.g. in a Redis outage)."""
    beat = job.last_heartbeat
    ago = f"last heartbeat {beat:%H:%M:%S} UTC" if beat else "no heartbeat yet"
    if job.worker_name and job.worker_name in alive:
        return f"running on {job.worker_name} ({ago})"
    return (
        f"its worker {job.worker_name or '?'} is gone ({ago}); a running worker retries the "
        "job once that heartbeat lapses (start one: python -m workers)"
    )


def _said(job: Job | None) -> str:
    if job is None:
        return ""
    try:
        value = job.return_value()
    except Exception:  # an unreadable result must not break the status
        return ""
    return "" if value is None else str(value)[:120]


def add(sub: Any) -> dict[str, Any]:
    q = sub.add_parser("enqueue", help="enqueue a day's build for the workers (Redis)")
    g = q.add_mutually_exclusive_group()
    g.add_argument("--date", help="YYYY-MM-DD (default: today in DIGEST_TIMEZONE)")
    g.add_argument("--demo", action="store_true", help="the bundled sample day, offline")
    q.add_argument("--force", action="store_true", help="rebuild even if building or built")
    q = sub.add_parser("status", help="a build's jobs, failures, sources, LLM use, duration")
    q.add_argument("--date", help="YYYY-MM-DD (default: today's build, else the latest day)")
    return {"enqueue": cmd_enqueue, "status": cmd_status}
