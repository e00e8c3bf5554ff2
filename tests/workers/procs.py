"""Helpers of the RQ tests: run jobs in this process, worker processes, the demo enqueued."""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from redis import Redis
from rq import SimpleWorker
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import StartedJobRegistry
from rq.serializers import JSONSerializer

from core.demo import demo_build
from core.settings import Settings
from core.store.keys import Keys
from core.store.sync_reader import DayReader
from tests import ROOT, redis_claim
from tests.procs import Proc
from workers import defaults, queues
from workers.builds import BuildRecord

URL = redis_claim.url()  # this test process's own database
# Liveness tunables shrunk so a killed worker's job counts as abandoned within seconds.
FAST = ["--job-monitoring-interval", "1", "--heartbeat-grace", "2", "--maintenance-interval", "1"]


def drain(redis: Redis[bytes]) -> None:
    """Run every queued job in this process (dependents and retries included), then return."""
    SimpleWorker([defaults.QUEUE], connection=redis, serializer=JSONSerializer).work(burst=True)


def python(args: list[str], log: Path, env: dict[str, str] | None = None) -> Proc:
    """`python ARGS` from the checkout, in its own session (tests/procs.py), output in `log`."""
    env = {**os.environ, **(env or {})}
    return Proc(log.stem, [sys.executable, *args], env, ROOT, log)


def job_status(redis: Redis[bytes], job_id: str) -> str | None:
    try:
        status = Job.fetch(job_id, connection=redis, serializer=JSONSerializer).get_status()
    except NoSuchJobError:
        return None
    return status.value if status else None


def started_job(redis: Redis[bytes], step: str) -> str | None:
    """The id of a started job of step `step` (e.g. "papers-llm-ko"), whatever its build."""
    started = StartedJobRegistry(defaults.QUEUE, connection=redis, serializer=JSONSerializer)
    return next((j for j in started.get_job_ids() if j.endswith(f"-{step}")), None)


def enqueue_demo(redis: Redis[bytes], settings: Settings, **options: Any) -> BuildRecord | None:
    """Enqueue the bundled sample day, as `aidigest enqueue --demo` does."""
    fixed = demo_build()
    day = date.fromisoformat(fixed.pop("date"))
    fixed["now"] = datetime.fromisoformat(fixed["now"])
    return queues.enqueue_build(redis, settings, day, **{**fixed, **options})


def published(redis: Redis[bytes]) -> DayReader:
    """Published days in `redis`, under the default prefix."""
    return DayReader(redis, Keys())
