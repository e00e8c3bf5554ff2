"""The daily build's schedule: `python -m workers.cron` is the Procfile's `cron` process.

rq's cron strings are UTC and a build time is local (DIGEST_BUILD_TIME in DIGEST_TIMEZONE), whose
UTC hour moves with daylight saving. So the cron job is a tick every 15 minutes, on the build
time's minute modulo 15 (`tick_cron`): every UTC offset in use is a whole number of quarter
hours, so a tick lands on the build moment in every zone, in summer and in winter. The tick job
(workers.jobs.tick) asks `due_day`, in the local zone, whether today's build is due, and enqueues
it unless it is building or built. At start the process ticks once at once: a scheduler that was
down at build time catches up on today. A build that vanished (a Redis without persistence
restarted) is enqueued again by the next tick.

rq 2.12's `rq cron` enqueues with pickle; our queues are JSON, so this process runs rq's
CronScheduler with a cron job that enqueues through workers.queues.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from rq.cron import CronJob, CronScheduler
from rq.job import Job

from core.demo import demo_build
from core.localtime import next_after, parse_hhmm, today_in
from core.store.connect import open_or_log, problem, wait_for
from core.windows import build_moment
from workers import defaults, queues

log = logging.getLogger(__name__)


def next_run(now: datetime, tz: str, build_time: str) -> datetime:
    """The first build moment strictly after `now` (tz-aware), in UTC."""
    return next_after(parse_hhmm(build_time), tz, now)


def due_day(now: datetime, tz: str, build_time: str) -> date | None:
    """Today in `tz` once its build time has passed (the day to build, if not built yet)."""
    today = today_in(tz, now)
    return today if now >= build_moment(today, tz, build_time) else None


def tick_cron(build_time: str, every: int = defaults.TICK_EVERY_MINUTES) -> str:
    """The UTC cron string of the ticks: every `every` minutes, on the build time's minute."""
    minute = int(build_time.strip().split(":")[1]) % every
    return f"{minute}-59/{every} * * * *"


class _JsonCronJob(CronJob):
    """A CronJob that enqueues the tick through workers.queues (JSON), not with pickle."""

    def __init__(
        self, fixed: dict[str, Any] | None, cron: str | None = None, interval: int | None = None
    ) -> None:
        super().__init__(
            queue_name=defaults.QUEUE, func_name=queues.TICK, cron=cron, interval=interval
        )
        self.fixed = fixed

    def enqueue(self, connection: Redis[bytes]) -> Job:
        job = queues.enqueue_tick(connection, self.fixed)
        log.info("tick enqueued: %s", job.id)
        return job


class _Scheduler(CronScheduler):
    def add(self, job: CronJob) -> None:
        self._cron_jobs.append(job)


def run(
    redis: Redis[bytes],
    cron: str | None,
    every: int | None,
    fixed: dict[str, Any] | None,
    url: str = "",
) -> None:
    """Tick now, then on `cron` (UTC) or every `every` seconds, until SIGTERM/SIGINT. A lost
    Redis is waited for as long as it takes (one log line when it goes, one when it is back),
    then the process ticks again at once."""
    while True:
        wait_for(redis, url, log)
        scheduler = _Scheduler(connection=redis, name=f"aidigest-{int(time.time())}")
        scheduler.add(_JsonCronJob(fixed, cron=cron, interval=None if cron else every))
        try:
            if cron:  # catch up on a build missed while down (an interval job ticks at once)
                queues.enqueue_tick(redis, fixed)
            scheduler.start()  # type: ignore[no-untyped-call]  # returns on SIGTERM/SIGINT
            return
        except RedisError as e:
            log.warning("the schedule stopped: %s", problem(e, url))
            time.sleep(1.0)


def main(argv: Sequence[str] | None = None) -> int:
    from core.logs import setup_logging
    from core.settings import load_settings

    p = argparse.ArgumentParser(prog="python -m workers.cron", description="The build schedule.")
    p.add_argument("--url", help="Redis URL (default: REDIS_URL, else the local Redis)")
    p.add_argument("--every", type=int, help="tick every N seconds instead of the cron string")
    p.add_argument("--demo", action="store_true", help="keep the bundled sample day built")
    args = p.parse_args(argv)
    settings = load_settings()
    setup_logging(settings.digest.log_format, settings.secrets(), capture_stderr=True)
    url = args.url or settings.redis.url or defaults.DEFAULT_REDIS_URL
    redis = open_or_log(url, log)
    if redis is None:
        return 2
    cron = None if args.every else tick_cron(settings.digest.build_time)
    when = f"every {args.every} s" if args.every else f"on '{cron}' (UTC)"
    log.info(
        "schedule: builds at %s %s; ticking %s",
        settings.digest.build_time,
        settings.digest.timezone,
        when,
    )
    run(redis, cron, args.every, demo_build() if args.demo else None, url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
