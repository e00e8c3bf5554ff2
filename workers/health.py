"""The health of the whole system, for `aidigest status`: builds, the queue, workers, and the
bots' deliveries, all read from Redis.

The deliveries are read through the one key layout (core/store/keys.py; written by bot/common):
workers never import the bots.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from redis import Redis
from rq import Queue, Worker
from rq.registry import FailedJobRegistry
from rq.serializers import JSONSerializer

from core.store.codec import as_text
from core.store.keys import Keys
from workers import defaults
from workers.builds import Builds
from workers.cron import next_run

PLATFORMS = ("slack", "discord")


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")


def builds_lines(builds: Builds, last: int = 7) -> list[str]:
    """The newest `last` build records (a record lives a week after its build ends)."""
    keys = builds.redis.scan_iter(match=builds.keys.build_pattern(), count=500)
    days = sorted((as_text(k).rsplit(":", 1)[1] for k in keys), reverse=True)[:last]
    out = []
    for day in days:
        rec = builds.record(day)
        if rec is None:
            continue
        took = f", {rec.finished_at - rec.enqueued_at:.0f} s" if rec.finished_at else ""
        why = f": {rec.error[:160]}" if rec.error else ""
        out.append(f"  {day}  {rec.state} (run {rec.run}{took}){why}")
    return out or ["  none in the last week"]  # records expire a week after the build


def queue_lines(redis: Redis[bytes], failed_shown: int = 5) -> list[str]:
    q = Queue(defaults.QUEUE, connection=redis, serializer=JSONSerializer)
    failed = FailedJobRegistry(queue=q)
    out = [
        f"  queued {q.count}, started {q.started_job_registry.count}, "
        f"scheduled {q.scheduled_job_registry.count}, deferred {q.deferred_job_registry.count}, "
        f"failed {failed.count}"
    ]
    ids = failed.get_job_ids()[-failed_shown:]
    for job in q.job_class.fetch_many(ids, redis, serializer=JSONSerializer):
        if job is None:
            continue
        result = job.latest_result()
        reason = (result.exc_string or "").strip().splitlines()[-1:] if result else []
        out.append(f"  failed job {job.id}: {reason[0][:160] if reason else 'no reason kept'}")
    workers = Worker.all(connection=redis)
    busy = [w for w in workers if w.get_current_job_id()]
    names = ", ".join(f"{w.name} ({w.get_current_job_id() or 'idle'})" for w in workers[:5])
    out.append(f"  workers alive: {len(workers)} ({len(busy)} busy){': ' + names if names else ''}")
    orphans = q.started_job_registry.count - len(busy)
    if orphans > 0:  # their worker died (a crash, or Redis went away under it)
        out.append(
            f"  {orphans} started job(s) have no live worker: a running worker retries them "
            "once their heartbeat lapses" + ("" if workers else "; start one: python -m workers")
        )
    return out


def delivery_lines(redis: Redis[bytes], keys: Keys, today: date, upcoming: int = 3) -> list[str]:
    out = []
    for platform in PLATFORMS:
        due_key = keys.due(platform)
        total = redis.zcard(due_key)
        if not total:
            continue
        nxt = redis.zrange(due_key, 0, upcoming - 1, withscores=True)
        soon = ", ".join(f"{as_text(sid)} at {_when(score)}" for sid, score in nxt)
        out.append(f"  {platform}: {total} subscriptions; next: {soon}")
        counts = redis.hgetall(keys.deliveries(platform, today.isoformat()))
        made = ", ".join(f"{as_text(k)} {as_text(v)}" for k, v in sorted(counts.items()))
        out.append(f"  {platform} posts on {today.isoformat()}: {made or 'none yet'}")
        for raw in redis.lrange(keys.failures(platform), 0, 2):
            f = json.loads(raw)
            out.append(
                f"  {platform} failed post {f['sub']} ({f['date']}, {f['at'][:16]}): "
                f"{f['error'][:120]}"
            )
    return out or ["  no subscriptions yet"]


def health_text(
    redis: Redis[bytes], keys: Keys, today: date, now: datetime, tz: str, build_time: str
) -> str:
    lines = ["System"]
    lines.append(
        f" Next build: {_when(next_run(now, tz, build_time).timestamp())} ({build_time} {tz})"
    )
    lines.append(" Builds (newest first):")
    lines += builds_lines(Builds(redis, keys))
    lines.append(" Queue:")
    lines += queue_lines(redis)
    lines.append(" Deliveries:")
    lines += delivery_lines(redis, keys, today)
    return "\n".join(lines)
