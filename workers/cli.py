"""`aidigest`, the installed command: core's CLI plus the commands that need the workers' Redis.

aidigest enqueue [--date D | --demo] [--force]   enqueue a day's build (or the sample day)
aidigest status [--date D]                       its jobs, failures and why, sources, LLM use
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime

from redis import Redis
from redis.exceptions import RedisError
from rq.job import Job
from rq.serializers import JSONSerializer

from core import cli as core_cli
from core.localtime import SystemClock, today_in
from core.settings import Settings
from core.store import Store
from workers import defaults, queues
from workers.builds import BuildRecord, Builds
from workers.health import health_text


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _redis(settings: Settings) -> Redis[bytes]:
    return Redis.from_url(settings.redis.url or defaults.DEFAULT_REDIS_URL)


def cmd_enqueue(args: argparse.Namespace, settings: Settings) -> int:
    day = date.fromisoformat(args.date) if args.date else None
    try:
        rec = queues.enqueue_build(
            _redis(settings), settings, day, demo=args.demo, force=args.force, reason="cli"
        )
    except RedisError as e:
        _say(f"aidigest enqueue: Redis is not reachable ({e}). Set REDIS_URL.")
        return 2
    if rec is None:
        what = day.isoformat() if day else ("the demo day" if args.demo else "today")
        _say(f"{what} is building or built; nothing enqueued (--force rebuilds).")
        return 0
    _say(
        f"Enqueued {rec.date} (run {rec.run}, {len(rec.sources)} sources"
        f"{', demo' if rec.demo else ''}). Run a worker: python -m workers --burst"
    )
    print(queues.job_id(rec, "publish"))
    return 0


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    d = settings.digest
    try:
        redis = _redis(settings)
        store = Store(redis, d.key_prefix, d.retention_days)
        builds = Builds(redis, d.key_prefix)
        today = today_in(d.timezone, SystemClock(d.clock_offset).now())
        if not args.date:
            print(
                health_text(
                    redis,
                    d.key_prefix,
                    today,
                    SystemClock(d.clock_offset).now(),
                    d.timezone,
                    d.build_time,
                )
            )
            print()
        day = args.date or _default_day(builds, store, today)
        if day is None:
            _say("No build in Redis yet. Try: aidigest enqueue --demo")
            return 2
        print(status_text(redis, builds, store, day, d.language))
    except RedisError as e:
        _say(f"aidigest status: Redis is not reachable ({e}). Set REDIS_URL.")
        return 2
    return 0


def _default_day(builds: Builds, store: Store, today: date) -> str | None:
    iso = today.isoformat()
    return iso if builds.record(iso) else store.latest()


def status_text(redis: Redis[bytes], builds: Builds, store: Store, day: str, lang: str) -> str:
    rec = builds.record(day)
    digest = store.digest(day, lang)
    lines = [_headline(day, rec, digest is not None)]
    if rec is not None:
        ids = builds.jobs(rec)
        lines.append(f"Jobs ({len(ids)}):")
        for jid, job in zip(
            ids, Job.fetch_many(ids, redis, serializer=JSONSerializer), strict=True
        ):
            status = job.get_status() if job else None
            state = status.value if status else "gone"
            said = queues.failure_reason(redis, jid) if state == "failed" else _said(job)
            lines.append(f"  {state!s:<9} {jid}  {said}")
        if rec.error:
            lines.append(f"Error: {rec.error}")
    if digest is not None:
        b = digest.build
        lines.append("Sources:")
        for s in b.sources:
            mark = f"{s.items} items" if s.ok else f"FAILED: {s.error}"
            lines.append(f"  {'✓' if s.ok else '✗'} {s.name:<20} {mark} ({s.seconds:.1f} s)")
        lines.append(f"LLM: {b.llm}, {b.llm_calls} calls, {b.tokens} tokens")
        lines.append(f"Duration: {b.seconds:.1f} s (enqueued to published)")
        lines += [f"Note: {n}" for n in b.notes]
    return "\n".join(lines)


def _headline(day: str, rec: BuildRecord | None, published: bool) -> str:
    if rec is None:
        return f"{day}: {'published' if published else 'no build'} (no build record kept)"
    when = datetime.fromtimestamp(rec.enqueued_at, UTC).strftime("%Y-%m-%d %H:%M:%S")
    extra = ", demo" if rec.demo else ""
    return f"{day}: {rec.state} (run {rec.run}{extra}, enqueued {when} UTC by {rec.reason or '?'})"


def _said(job: Job | None) -> str:
    if job is None:
        return ""
    try:
        value = job.return_value()
    except Exception:  # an unreadable result must not break the status
        return ""
    return "" if value is None else str(value)[:120]


def _commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
) -> dict[str, core_cli.Command]:
    q = sub.add_parser("enqueue", help="enqueue a day's build for the workers (Redis)")
    g = q.add_mutually_exclusive_group()
    g.add_argument("--date", help="YYYY-MM-DD (default: today in DIGEST_TIMEZONE)")
    g.add_argument("--demo", action="store_true", help="the bundled sample day, offline")
    q.add_argument("--force", action="store_true", help="rebuild even if building or built")
    q = sub.add_parser("status", help="a build's jobs, failures, sources, LLM use, duration")
    q.add_argument("--date", help="YYYY-MM-DD (default: today's build, else the latest day)")
    return {"enqueue": cmd_enqueue, "status": cmd_status}


def main(argv: Sequence[str] | None = None) -> int:
    return core_cli.main(argv, extra=[_commands])


if __name__ == "__main__":
    sys.exit(main())
