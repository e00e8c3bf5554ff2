"""`python -m workers [--burst]`: the Procfile's `worker` process, an RQ worker on our queue.

Forking worker (each job in its own process, so a timeout or a crash takes only the job), JSON
serializer, with RQ's scheduler (it re-enqueues jobs whose retry waits). When Redis goes away
RQ's worker quits (or raises); this process waits for Redis to come back, however long that
takes, logging one line when it goes and one when it is back, and starts a new worker: an
outage costs no operator. Only `--burst` gives up, after --redis-wait seconds, with exit code 3.
Every traceback, a forked child's included, goes through the redacting logger.
"""

from __future__ import annotations

import argparse
import contextlib
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

from core.store.connect import open_or_log, problem, wait_for
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


def main(argv: Sequence[str] | None = None, worker_class: type[DigestWorker] | None = None) -> int:
    from core.logs import setup_logging
    from core.settings import load_settings

    p = argparse.ArgumentParser(prog="python -m workers", description="Run an aidigest worker.")
    p.add_argument("--burst", action="store_true", help="drain the queue, then exit")
    p.add_argument("--url", help="Redis URL (default: REDIS_URL, else the local Redis)")
    p.add_argument("--name", help="worker name (default: RQ's)")
    for flag, default, meaning in (
        (
            "--job-monitoring-interval",
            defaults.JOB_MONITORING_INTERVAL,
            "between a running job's heartbeats",
        ),
        (
            "--heartbeat-grace",
            defaults.HEARTBEAT_GRACE,
            "past a missed heartbeat before a job counts as abandoned",
        ),
        (
            "--maintenance-interval",
            defaults.MAINTENANCE_INTERVAL,
            "between looks for abandoned jobs",
        ),
    ):
        p.add_argument(flag, type=int, default=default, help=f"seconds {meaning}")
    p.add_argument(
        "--redis-wait",
        type=float,
        help="with --burst: seconds to wait for Redis before giving up "
        f"(default {defaults.BURST_REDIS_WAIT:.0f}); without, the worker waits as long as it takes",
    )
    p.add_argument("--log-level", default="INFO")
    args = p.parse_args(argv)
    import workers.jobs  # noqa: F401  # loaded once here, not in every forked job

    settings = load_settings()
    setup_logging(
        settings.digest.log_format,
        settings.secrets(),
        level=args.log_level.upper(),
        capture_stderr=True,  # RQ's scheduler and work horses are forked: their stderr too
    )
    url = args.url or settings.redis.url or defaults.DEFAULT_REDIS_URL
    redis = open_or_log(url, log)
    if redis is None:
        return 2
    give_up = (args.redis_wait or defaults.BURST_REDIS_WAIT) if args.burst else None
    while True:
        if not wait_for(redis, url, log, give_up=give_up):
            return 3
        worker = _worker(redis, args, worker_class or DigestWorker)
        try:
            worker.work(burst=args.burst, with_scheduler=True, logging_level=args.log_level)
        except RedisError as e:  # Redis went away under RQ (a heartbeat, its own teardown)
            log.warning("worker %s stopped: %s", worker.name, problem(e, url))
            _retire(worker)
            continue
        if args.burst or worker.stopping:
            return 0
        log.warning("worker %s quit; starting another once Redis answers", worker.name)
        time.sleep(1.0)


def _retire(worker: DigestWorker) -> None:
    """What RQ's teardown could not stop without Redis: the worker's command listener (a
    thread that would retry and log every 2 s for ever) and its scheduler process."""
    listener = getattr(worker, "pubsub_thread", None)
    if listener is not None:
        listener.stop()
    if worker.scheduler is not None:
        with contextlib.suppress(Exception):  # already gone: nothing to stop
            worker.stop_scheduler()  # type: ignore[no-untyped-call]


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
