"""Real worker processes, really killed; a real Redis, really restarted. The day still completes."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis
from rq.job import Job
from rq.registry import StartedJobRegistry
from rq.serializers import JSONSerializer

from core.demo import DEMO_DATE
from core.settings import Settings
from core.store.keys import Keys
from tests.procs import Proc, RedisServer, wait_until
from tests.workers.procs import (
    FAST,
    enqueue_demo,
    job_status,
    published,
    python,
    started_job,
)
from workers import defaults, queues
from workers.builds import Builds

pytestmark = pytest.mark.slow  # real worker processes killed and waited out

DAY = DEMO_DATE.isoformat()
SLOW = "papers-llm-ko"  # the step the slow worker holds


def assert_complete(redis: Redis[bytes]) -> None:
    """Every planned section once, every chart, one digest.ready event."""
    store, builds = published(redis), Builds(redis, Keys())
    rec = builds.record(DAY)
    assert rec is not None and rec.state == "ready"
    plan = builds.plan(rec)
    digest = store.digest(DAY, "ko")
    assert plan is not None and digest is not None
    keys = [f"{s.date}-{s.kind}-{s.category}-{s.lang}" for s in digest.sections]
    assert keys == plan.sections and len(set(keys)) == len(keys)
    assert all(s.mode == "offline" for s in digest.sections)
    for name in ("news", "papers", "papers-trend"):
        kind, _, trend = name.partition("-")
        assert (store.chart(DAY, kind, bool(trend)) or b"").startswith(b"\x89PNG")
    assert redis.xlen(store.keys.events) == 1


def test_a_worker_killed_mid_job_is_retried_and_the_day_completes(
    redis: Redis[bytes], settings: Settings, procs: list[Proc], tmp_path: Path
) -> None:
    rec = enqueue_demo(redis, settings, retry_intervals=[0])
    assert rec is not None
    first = python(
        ["-m", "tests.workers.slow_worker", f"{SLOW}=120", *FAST], tmp_path / "first.log"
    )
    procs.append(first)
    slow = queues.job_id(rec, SLOW)
    wait_until(lambda: job_status(redis, slow) == "started", f"{slow} to start", context=first.tail)

    first.signal(signal.SIGKILL)  # the worker, its work horse and its scheduler: no goodbyes
    first.p.wait(timeout=10)
    # RQ's abandoned-job handling: the job's heartbeat lapses (FAST: 1 s + 2 s grace), then a
    # worker cleaning the started-job registry retries it (it had retries left).
    started = StartedJobRegistry(defaults.QUEUE, connection=redis, serializer=JSONSerializer)
    wait_until(lambda: slow in started.get_expired_job_ids(), "the heartbeat to lapse")
    second = python(["-m", "workers", "--burst", *FAST], tmp_path / "second.log")
    procs.append(second)
    wait_until(lambda: not second.alive(), "the second worker to drain", context=second.tail)

    assert job_status(redis, slow) == "finished"
    job = Job.fetch(slow, connection=redis, serializer=JSONSerializer)
    assert job.retries_left == rec.retry_max - 1  # the abandoned run used one retry
    assert_complete(redis)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path, persistent=False)
    server.start()
    yield server
    server.stop()


def test_redis_restarted_mid_build_and_the_build_completes(
    own_redis: RedisServer, procs: list[Proc], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This Redis keeps nothing on disk, so a restart loses the queue, the jobs, the build record
    and the scratch; what can complete "after retries" is the day, not the lost jobs. The worker
    and the cron process wait for Redis and carry on (their own retry loops, with backoff); the
    job that was running when Redis went fails and RQ schedules its retry; the next tick finds
    the day neither building nor built and enqueues it again; the day completes, once."""
    url = own_redis.url
    monkeypatch.setenv("REDIS_URL", url)
    monkeypatch.setenv("DIGEST_LANGUAGES", "ko")
    redis = Redis.from_url(url)
    worker = python(
        ["-m", "tests.workers.slow_worker", f"{SLOW}=3", *FAST], tmp_path / "worker.log"
    )
    cron = python(["-m", "workers.cron", "--demo", "--every", "1"], tmp_path / "cron.log")
    procs += [worker, cron]
    wait_until(lambda: started_job(redis, SLOW), f"{SLOW} to start", context=worker.tail)

    before = redis.info("server")["run_id"]
    own_redis.stop()
    own_redis.start()
    assert redis.info("server")["run_id"] != before  # a new server: it kept nothing
    wait_until(lambda: published(redis).dates(), "the day", 90, context=worker.tail)

    assert worker.alive() and cron.alive()  # neither needed an operator
    assert_complete(redis)


def test_an_idle_worker_looks_for_abandoned_jobs_every_maintenance_interval(
    redis: Redis[bytes],
) -> None:
    """RQ looks for abandoned jobs only between two waits on the queue; an idle worker must
    not wait longer than the maintenance interval (RQ's own wait is 405 s)."""
    from workers.__main__ import DigestWorker

    worker = DigestWorker([defaults.QUEUE], connection=redis, maintenance_interval=60)
    assert worker.dequeue_timeout == 60
