"""Fixtures every test may use (tests/README.md says where each kind of test lives).

`redis_db`: a real Redis database of this test process's own (tests/redis_claim.py finds an empty
one on AIDIGEST_TEST_REDIS, default redis://127.0.0.1:6379), flushed before and after the test.
`redis_url`: its URL, for processes a test starts.
`demo_day`: the bundled sample day (en and ko), built once per test process (tests/days.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from redis import Redis

from core.pipeline import BuiltDay
from tests import days, redis_claim


@pytest.fixture(scope="session")
def redis_url() -> str:
    return redis_claim.url()


@pytest.fixture
def redis_db(redis_url: str) -> Iterator[Redis[bytes]]:
    redis_claim.flush()
    r: Redis[bytes] = Redis.from_url(redis_url)
    yield r
    r.close()
    redis_claim.flush()


@pytest.fixture(scope="session")
def demo_day() -> BuiltDay:
    return days.demo_day()
