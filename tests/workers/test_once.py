"""One build per day: enqueued twice, or by several processes at once, a day builds once."""

from __future__ import annotations

import multiprocessing as mp
from multiprocessing.synchronize import Barrier

import pytest
from redis import Redis

from core.demo import DEMO_DATE
from core.settings import Settings, load_settings
from core.store.keys import Keys
from tests.workers.procs import URL, drain, enqueue_demo, job_status, published
from workers import queues
from workers.builds import Builds

pytestmark = pytest.mark.slow  # real worker processes racing

DAY = DEMO_DATE.isoformat()


def _enqueue(barrier: Barrier, out: mp.Queue) -> None:  # type: ignore[type-arg]
    redis = Redis.from_url(URL)  # a process of its own: its own connection
    settings = load_settings()
    barrier.wait()
    rec = enqueue_demo(redis, settings)
    out.put(rec.run if rec else None)


def test_two_processes_at_once_make_one_build(redis: Redis[bytes], settings: Settings) -> None:
    ctx = mp.get_context("fork")
    barrier, out = ctx.Barrier(4), ctx.Queue()
    racers = [ctx.Process(target=_enqueue, args=(barrier, out)) for _ in range(4)]
    for p in racers:
        p.start()
    for p in racers:
        p.join(timeout=60)
    assert sorted((out.get(timeout=5) for _ in racers), key=str) == [1, None, None, None]

    rec = Builds(redis, Keys()).record(DAY)
    assert rec is not None and rec.run == 1
    assert (
        len(Builds(redis, Keys()).jobs(rec)) == len(rec.sources) + 1
    )  # collect each, then classify
    assert redis.llen("rq:queue:aidigest") == len(rec.sources)  # classify waits on them
    drain(redis)
    assert redis.xlen(published(redis).keys.events) == 1
    assert published(redis).dates() == [DAY]


def test_enqueued_twice_builds_once_unless_forced(redis: Redis[bytes], settings: Settings) -> None:
    first = enqueue_demo(redis, settings)
    assert first is not None
    assert enqueue_demo(redis, settings) is None  # building
    drain(redis)
    assert enqueue_demo(redis, settings) is None  # built
    store = published(redis)
    assert redis.xlen(store.keys.events) == 1
    before = store.digest(DAY, "ko")

    again = enqueue_demo(redis, settings, force=True)
    assert again is not None and again.run == 2
    assert first is not None and again.token != first.token
    assert queues.job_id(again, "publish") == f"build-{DAY}-{again.token}-publish"
    drain(redis)
    assert job_status(redis, queues.job_id(again, "publish")) == "finished"
    assert redis.xlen(store.keys.events) == 2
    after = store.digest(DAY, "ko")
    assert before is not None and after is not None
    assert after.sections == before.sections


def test_a_job_of_a_replaced_run_does_nothing(redis: Redis[bytes], settings: Settings) -> None:
    """A forced rebuild while the first run is queued: the first run's jobs stand down."""
    first = enqueue_demo(redis, settings)
    second = enqueue_demo(redis, settings, force=True)
    assert first is not None and second is not None
    drain(redis)
    assert job_status(redis, queues.job_id(first, "classify")) == "finished"
    assert job_status(redis, queues.job_id(first, "publish")) is None  # never fanned out
    assert job_status(redis, queues.job_id(second, "publish")) == "finished"
    assert redis.xlen(published(redis).keys.events) == 1
