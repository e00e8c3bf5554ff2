"""Helpers of the RQ tests: run jobs in this process, wait, and real processes to kill."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
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
from workers import defaults, queues
from workers.builds import BuildRecord

URL = redis_claim.url()  # this test process's own database
# Liveness tunables shrunk so a killed worker's job counts as abandoned within seconds.
FAST = ["--job-monitoring-interval", "1", "--heartbeat-grace", "2", "--maintenance-interval", "1"]


def drain(redis: Redis[bytes]) -> None:
    """Run every queued job in this process (dependents and retries included), then return."""
    SimpleWorker([defaults.QUEUE], connection=redis, serializer=JSONSerializer).work(burst=True)


def wait_for(check: Callable[[], object], what: str, timeout: float = 60.0) -> None:
    """Poll until `check()` is truthy; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.1)


class Proc:
    """A process of ours in its own process group, so a kill takes its forked children too
    (an RQ worker forks a work horse per job and a scheduler)."""

    def __init__(self, args: list[str], log: Path, env: dict[str, str] | None = None) -> None:
        self.log = log
        self.p = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def alive(self) -> bool:
        return self.p.poll() is None

    def signal(self, sig: int) -> None:
        """Signal the process, its group and every descendant: RQ's work horse leaves the
        group (setpgrp), and a machine that dies takes it too."""
        if not self.alive():
            return
        family = _descendants(self.p.pid)  # before the parent dies and they are re-parented
        os.killpg(self.p.pid, sig)
        for pid in family:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)

    def stop(self) -> None:
        self.signal(signal.SIGTERM)
        try:
            self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.p.wait()

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def _descendants(root: int) -> list[int]:
    """Pids of every process below `root` (Linux /proc)."""
    parent: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parent[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [root]
    while frontier:
        kids = [pid for pid, ppid in parent.items() if ppid in frontier]
        found += kids
        frontier = kids
    return found


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
