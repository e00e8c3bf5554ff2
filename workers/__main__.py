"""`python -m workers [--burst]`: the Procfile's `worker` process, an RQ worker on our queue.

Forking worker (each job in its own process, so a timeout or a crash takes only the job), JSON
serializer, with RQ's scheduler (it re-enqueues jobs whose retry waits). When Redis goes away
RQ's worker quits; this process waits for Redis to come back and starts a new worker, so a
restart of Redis costs no operator.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from types import FrameType
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from rq import Worker
from rq.job import Job
from rq.serializers import JSONSerializer

from workers import defaults

log = logging.getLogger("workers")


class DigestWorker(Worker):
    """RQ's worker with a configurable heartbeat grace (RQ fixes it at 60 s): how long after a
    killed worker's last heartbeat its job counts as abandoned, and is retried."""

    heartbeat_grace = defaults.HEARTBEAT_GRACE
    stopping = False

    def get_heartbeat_ttl(self, job: Job) -> int:
        ttl: int = super().get_heartbeat_ttl(job)
        return max(1, ttl - 60 + self.heartbeat_grace)

    @property
    def dequeue_timeout(self) -> int:
        # RQ runs maintenance (the look for abandoned jobs) only between two waits on the
        # queue, and an idle worker waits worker_ttl - 15 = 405 s: a killed worker's job would
        # stall the day that long. Wake at least every maintenance interval instead.
        longest = max(1, self.worker_ttl - 15)
        return max(1, min(longest, int(getattr(self, "maintenance_interval", longest))))

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True
        super().request_stop(signum, frame)  # type: ignore[no-untyped-call]


def _wait_for(redis: Redis[bytes]) -> None:
    backoff = 1.0
    while True:
        try:
            redis.ping()
            return
        except RedisError as e:
            log.warning("Redis unavailable (%s); retrying in %.0f s", type(e).__name__, backoff)
            time.sleep(backoff)
            backoff = min(backoff * 2, 30.0)


def main(argv: Sequence[str] | None = None, worker_class: type[DigestWorker] | None = None) -> int:
    from core.logs import setup_logging
    from core.settings import load_settings

    p = argparse.ArgumentParser(prog="python -m workers", description="Run an aidigest worker.")
    p.add_argument("--burst", action="store_true", help="drain the queue, then exit")
    p.add_argument("--url", help="Redis URL (default: REDIS_URL, else the local Redis)")
    p.add_argument("--name", help="worker name (default: RQ's)")
    p.add_argument(
        "--job-monitoring-interval",
        type=int,
        default=defaults.JOB_MONITORING_INTERVAL,
        help="seconds between a running job's heartbeats",
    )
    p.add_argument(
        "--heartbeat-grace",
        type=int,
        default=defaults.HEARTBEAT_GRACE,
        help="seconds past a missed heartbeat before a job counts as abandoned",
    )
    p.add_argument(
        "--maintenance-interval",
        type=int,
        default=defaults.MAINTENANCE_INTERVAL,
        help="seconds between looks for abandoned jobs",
    )
    p.add_argument("--log-level", default="INFO")
    args = p.parse_args(argv)
    import workers.jobs  # noqa: F401  # loaded once here, not in every forked job

    settings = load_settings()
    setup_logging(settings.digest.log_format, settings.secrets(), level=args.log_level.upper())
    url = args.url or settings.redis.url or defaults.DEFAULT_REDIS_URL
    redis = Redis.from_url(url)
    while True:
        _wait_for(redis)
        worker = _worker(redis, args, worker_class or DigestWorker)
        worker.work(burst=args.burst, with_scheduler=True, logging_level=args.log_level)
        if args.burst or worker.stopping:
            return 0
        log.warning("worker %s quit; starting another once Redis answers", worker.name)
        time.sleep(1.0)


def _worker(redis: Redis[bytes], args: Any, worker_class: type[DigestWorker]) -> DigestWorker:
    worker = worker_class(
        [defaults.QUEUE],
        connection=redis,
        serializer=JSONSerializer,
        name=args.name,
        job_monitoring_interval=args.job_monitoring_interval,
        maintenance_interval=args.maintenance_interval,
    )
    worker.heartbeat_grace = args.heartbeat_grace
    return worker


if __name__ == "__main__":
    sys.exit(main())
