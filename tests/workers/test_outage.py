"""Issue 14 (2, 3, 7): a worker rides out a Redis outage in the middle of a job, logging JSON
only; `--burst` gives up on a Redis it cannot use after a bounded wait, saying why, with the
URL's password masked."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis

from tests import ROOT
from tests.procs import Proc, RedisServer, free_port, wait_until
from tests.workers.procs import FAST, enqueue_demo, published, python, started_job

pytestmark = pytest.mark.slow  # real worker processes and a Redis stopped for seconds

SLOW = "papers-llm-ko"


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A Redis of this test's own, with a password and an append-only file: stopped and started
    again it keeps its data, like a production Redis that goes away for a while."""
    server = RedisServer(tmp_path, persistent=True)
    server.start()
    yield server
    server.stop()


def json_lines(log: Path) -> list[dict[str, str]]:
    out = []
    for line in log.read_text("utf-8", errors="replace").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            pytest.fail(f"{log.name}: not a JSON line: {line[:300]!r}")
    return out


def test_a_worker_rides_out_a_redis_outage_in_the_middle_of_a_job(
    own_redis: RedisServer,
    procs: list[Proc],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REDIS_URL", own_redis.url)
    monkeypatch.setenv("DIGEST_LANGUAGES", "ko")
    monkeypatch.setenv("DIGEST_LOG_FORMAT", "json")
    redis = Redis.from_url(own_redis.url)
    from core.settings import load_settings

    assert enqueue_demo(redis, load_settings(), retry_intervals=[0]) is not None
    log = tmp_path / "worker.log"
    worker = python(["-m", "tests.workers.slow_worker", f"{SLOW}=3", *FAST], log)
    procs.append(worker)
    wait_until(lambda: started_job(redis, SLOW), f"{SLOW} to start", context=worker.tail)

    own_redis.stop()
    time.sleep(12)  # the old worker exited with a raw traceback within 8 s
    assert worker.alive(), worker.tail()
    own_redis.start()
    wait_until(lambda: published(redis).dates(), "the day to complete", 120, context=worker.tail)

    assert worker.alive()
    records = json_lines(log)  # no raw traceback, from the worker or its forked children
    said = [r["msg"] for r in records]
    assert any("waiting for it" in m for m in said), said[-20:]
    assert any("answers again" in m for m in said)
    assert own_redis.password not in log.read_text("utf-8")


@pytest.mark.parametrize("problem", ["wrong password", "unreachable"])
def test_burst_gives_up_on_a_redis_it_cannot_use(
    own_redis: RedisServer, tmp_path: Path, problem: str
) -> None:
    password = own_redis.password
    if problem == "wrong password":
        url = own_redis.url.replace(password, "not-the-" + password)
        why = "refused the password"
    else:
        url = f"redis://:{password}@127.0.0.1:{free_port()}/0"
        why = "is unreachable"
    t0 = time.monotonic()
    done = subprocess.run(
        ["python", "-m", "workers", "--burst", "--redis-wait", "2", "--url", url],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "DIGEST_LOG_FORMAT": "json", **_python_env()},
    )
    assert done.returncode == 3 and time.monotonic() - t0 < 30
    log = tmp_path / "burst.log"
    log.write_text(done.stdout + done.stderr)
    said = " ".join(r["msg"] for r in json_lines(log))
    assert f"Redis at redis://:***@127.0.0.1:{url.rsplit(':', 1)[1]} {why}" in said
    assert "gave up" in said and password not in log.read_text()


def test_a_malformed_redis_url_is_one_clear_line(tmp_path: Path) -> None:
    password = "not-shown-anywhere"
    done = subprocess.run(
        ["python", "-m", "workers", "--burst", "--url", f"redis://:{password}@host:port/0"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "DIGEST_LOG_FORMAT": "json", **_python_env()},
    )
    log = tmp_path / "bad.log"
    log.write_text(done.stdout + done.stderr)
    [record] = json_lines(log)
    assert done.returncode == 2 and "is not a Redis URL" in record["msg"]
    assert password not in log.read_text()


def _python_env() -> dict[str, str]:
    return {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "PYTHONPATH": str(ROOT),
            "HOME": "/tmp"}  # fmt: skip
