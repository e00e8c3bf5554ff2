"""Redis connection problems in words: "Redis", the URL with its password masked, and why;
waiting for Redis logs a line per state change, not per ping."""

from __future__ import annotations

import logging
import socket

import pytest
from redis import Redis
from redis.exceptions import AuthenticationError, ConnectionError, ResponseError

from core.store.connect import RedisUnavailable, masked, open_redis, problem, wait_for

URL = "redis://:s3cret-pw@127.0.0.1:6390/2"


def test_masked_hides_the_password_and_user() -> None:
    assert masked(URL) == "redis://:***@127.0.0.1:6390/2"
    assert masked("redis://admin:pw@h/0") == "redis://:***@h/0"
    assert masked("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"
    assert "pw" not in masked("redis://:pw@host:port/0")


def test_problems_say_redis_and_why_without_the_password() -> None:
    auth = problem(AuthenticationError("invalid username-password pair"), URL)
    assert auth.startswith("Redis at redis://:***@127.0.0.1:6390/2 refused the password")
    down = problem(ConnectionError("Error 111 connecting to 127.0.0.1:6390."), URL)
    assert down.startswith("Redis at redis://:***@127.0.0.1:6390/2 is unreachable")
    noauth = problem(ResponseError("NOAUTH Authentication required."), URL)
    assert "refused the password" in noauth
    assert "s3cret-pw" not in problem(ConnectionError(f"oops {URL}"), URL)


def test_a_url_that_is_not_redis_is_refused_masked() -> None:
    with pytest.raises(RedisUnavailable) as e:
        open_redis("redis://:s3cret-pw@host:port/0")
    assert "is not a Redis URL" in str(e.value) and "s3cret-pw" not in str(e.value)


def _dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"redis://:s3cret-pw@127.0.0.1:{s.getsockname()[1]}/0"


def test_waiting_logs_once_then_gives_up(caplog: pytest.LogCaptureFixture) -> None:
    url = _dead_url()
    naps: list[float] = []
    now = [0.0]

    def nap(s: float) -> None:
        naps.append(s)
        now[0] += s

    log = logging.getLogger("test.connect")
    with caplog.at_level(logging.WARNING, logger="test.connect"):
        ok = wait_for(Redis.from_url(url), url, log, give_up=60, sleep=nap, clock=lambda: now[0])
    assert not ok and naps == [1.0, 2.0, 4.0, 8.0, 16.0]  # backoff, within the 60 s
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == 2 and said[0].endswith("waiting for it") and "gave up" in said[1]
    assert all("s3cret-pw" not in m and "Redis at redis://:***@" in m for m in said)


def test_waiting_for_a_live_redis_says_nothing(
    redis_db: Redis[bytes], redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        assert wait_for(redis_db, redis_url, logging.getLogger("test.connect"), give_up=1)
    assert caplog.records == []
