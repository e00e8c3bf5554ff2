"""Queue names, job ids and enqueueing, by dotted job name: what the CLI, the schedule and the
bots import (never workers.jobs, so enqueueing costs none of the pipeline's imports).

One day is a graph of jobs, all on one queue, JSON arguments only, deterministic ids:

    build-{date}-{build}-collect-{source}     one per source                  (enqueue_build)
    build-{date}-{build}-classify             after every collect             (enqueue_build)
    build-{date}-{build}-{kind}-{cat}-{lang}  one per section                 (the classify job)
    build-{date}-{build}-charts               distribution and trend per kind (the classify job)
    build-{date}-{build}-publish              after every section and charts; (the classify job)
                                     allow_failure: a failed section is published offline

`{build}` is the build's token (6 hex digits, new for every build claimed, forced or not), so the
jobs of a build that Redis lost (a restart without persistence) can never be taken for the jobs
of the build that replaces it.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from redis import Redis
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Dependency, Job
from rq.serializers import JSONSerializer

from core.items import Kind
from core.localtime import SystemClock
from core.settings import Settings
from core.store.keys import Keys
from workers import defaults
from workers.builds import BuildRecord, Builds

COLLECT = "workers.jobs.collect"
CLASSIFY = "workers.jobs.classify"
SECTION = "workers.jobs.section"
CHARTS = "workers.jobs.charts"
PUBLISH = "workers.jobs.publish"
TICK = "workers.jobs.tick"


def queue(redis: Redis[bytes], name: str = defaults.QUEUE) -> Queue:
    return Queue(name, connection=redis, serializer=JSONSerializer)


def job_id(rec: BuildRecord, step: str) -> str:
    return f"build-{rec.date}-{rec.token}-{step}"


def retry(rec: BuildRecord) -> Retry:
    return Retry(max=rec.retry_max, interval=rec.retry_intervals)


def job(
    rec: BuildRecord,
    func: str,
    step: str,
    args: Sequence[Any],
    timeout: str,
    after: Sequence[str] = (),
) -> Any:
    """One job of a build as Queue.prepare_data: `after` are job ids it waits for (whether they
    succeed or fail: every step can make do without its inputs)."""
    return Queue.prepare_data(
        func,
        args=tuple(args),
        job_id=job_id(rec, step),
        timeout=defaults.JOB_TIMEOUT[timeout],
        result_ttl=defaults.RESULT_TTL,
        failure_ttl=defaults.FAILURE_TTL,
        retry=retry(rec),
        depends_on=Dependency(jobs=list(after), allow_failure=True) if after else None,
        description=f"{step} {rec.date}",
    )


def enqueue_jobs(
    redis: Redis[bytes], builds: Builds, rec: BuildRecord, datas: Sequence[Any]
) -> list[str]:
    """Enqueue the jobs not enqueued before: a retried job that enqueues others must not run
    them twice. Returns the ids enqueued."""
    new = [d for d in datas if not Job.exists(d.job_id, connection=redis)]
    if new:
        builds.add_jobs(rec, [d.job_id for d in new])
        queue(redis).enqueue_many(new)
    return [d.job_id for d in new]


def build_sources(settings: Settings, sources_file: str | None = None) -> dict[str, Kind]:
    """The sources a build collects, name -> kind (None: the configured source list)."""
    from core.sources.spec import load_sources

    return {s.name: s.kind for s in load_sources(sources_file or settings.digest.sources_file)}


def enqueue_build(
    redis: Redis[bytes],
    settings: Settings,
    day: date | None = None,
    *,
    sources_file: str | None = None,
    now: datetime | None = None,
    offline: bool = False,
    force: bool = False,
    reason: str = "",
    retry_max: int = defaults.RETRY_MAX,
    retry_intervals: Sequence[int] = defaults.RETRY_INTERVALS,
) -> BuildRecord | None:
    """Enqueue the build of `day` (default: today in DIGEST_TIMEZONE) from `sources_file` (default:
    the configured list), with the clock at `now` (default: the real one) and, with `offline`, no
    LLM. None, and nothing enqueued, when the day is building or built, unless `force`."""
    d = settings.digest
    keys = Keys(d.key_prefix)
    builds = Builds(redis, keys)
    clock = (now or SystemClock(d.clock_offset).now()).astimezone(ZoneInfo(d.timezone))
    day = day or clock.date()
    iso, sources = day.isoformat(), build_sources(settings, sources_file)

    def make(run: int) -> BuildRecord:
        t = time.time()
        return BuildRecord(
            date=iso,
            run=run,
            token=secrets.token_hex(3),
            sources_file=sources_file,
            offline=offline,
            now=clock.isoformat(),
            langs=d.build_languages(),
            section_cap=d.section_cap,
            sources=sources,
            retry_max=retry_max,
            retry_intervals=list(retry_intervals),
            reason=reason,
            enqueued_at=t,
            deadline=t + defaults.BUILD_DEADLINE,
        )

    built = redis.zscore(keys.dates, iso) is not None
    rec = builds.claim(iso, make, force=force, built=built)
    if rec is None:
        return None
    collects = [job(rec, COLLECT, f"collect-{s}", [iso, rec.token, s], "collect") for s in sources]
    ids = [c.job_id for c in collects]
    classify = job(rec, CLASSIFY, "classify", [iso, rec.token], "classify", after=ids)
    enqueue_jobs(redis, builds, rec, [*collects, classify])
    return rec


def failure_reason(redis: Redis[bytes], job_id: str) -> str:
    """The last line of a failed job's error, or why there is none."""
    try:
        found = Job.fetch(job_id, connection=redis, serializer=JSONSerializer)
    except NoSuchJobError:
        return "the job is gone"
    result = found.latest_result()
    text = (result.exc_string or "") if result else ""
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1][:300] if lines else f"job {found.get_status()}"


def enqueue_tick(redis: Redis[bytes], fixed: dict[str, Any] | None = None) -> Job:
    """A schedule tick now (the cron process does this at start: it catches up a missed build);
    `fixed`: see workers.jobs.tick."""
    return queue(redis).enqueue(
        TICK,
        kwargs={"fixed": fixed},
        job_timeout=defaults.JOB_TIMEOUT["tick"],
        result_ttl=3600,
        failure_ttl=defaults.FAILURE_TTL,
    )


__all__ = [
    "CHARTS",
    "CLASSIFY",
    "COLLECT",
    "PUBLISH",
    "SECTION",
    "TICK",
    "build_sources",
    "enqueue_build",
    "enqueue_jobs",
    "enqueue_tick",
    "failure_reason",
    "job",
    "job_id",
    "queue",
]
