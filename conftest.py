"""Fixtures every test may use (tests/README.md says where each kind of test lives).

`redis_db`: a real Redis database of this test process's own (tests/redis_claim.py finds an empty
one on AIDIGEST_TEST_REDIS, default redis://127.0.0.1:6379), flushed before and after the test.
`redis_url`: its URL, for processes a test starts.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from redis import Redis

from tests import redis_claim


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
