"""The site reading real Redis through the bots' day reader and the search index, as a Redis
user that may only read: every page works, and no page can write."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from redis import Redis
from redis.asyncio import Redis as AsyncRedis
from redis.exceptions import NoPermissionError

from core.pipeline import BuiltDay
from core.search import SearchReader
from core.store.async_reader import AsyncDayReader
from core.store.keys import Keys
from tests.web.conftest import HOSTILE_DATE, publish
from tests.web.readonly import read_only_url, snapshot
from tests.web.server import ServerThread
from web import Site

PAGES = [
    "/",
    "/2024-10-04",
    "/2024-10-04?lang=en",
    "/2024-10-04/papers/llm",
    f"/{HOSTILE_DATE}/papers/llm?lang=en",
    "/category/llm",
    "/search?q=" + quote("에이전트"),
    "/search?q=diffusion&page=2",
    "/feed.xml",
    "/chart/2024-10-04/papers.png",
    "/chart/2024-10-04/papers-trend.png",
]


@pytest.fixture
def reader_url(redis_db: Redis[bytes], redis_url: str) -> Iterator[str]:
    """The test database's URL for a user that can read and nothing else."""
    with read_only_url(redis_db, redis_url) as url:
        yield url


def test_every_page_reads_redis_as_a_read_only_user(
    redis_db: Redis[bytes], reader_url: str, demo_day: BuiltDay, hostile_day: BuiltDay
) -> None:
    publish(redis_db, demo_day, hostile_day)
    readonly: Redis[bytes] = Redis.from_url(reader_url)
    with pytest.raises(NoPermissionError):
        readonly.set("aidigest:probe", "1")  # the user really cannot write
    readonly.close()
    before = snapshot(redis_db)

    async def make() -> Site:
        client: AsyncRedis[bytes] = AsyncRedis.from_url(reader_url)
        keys = Keys()
        days = AsyncDayReader(client, keys)
        return Site(days=days, search=SearchReader(client, keys), default_lang="ko", page_ttl=0)

    server = ServerThread(make).start()
    try:
        for path in PAGES:
            with urllib.request.urlopen(server.url + path, timeout=10) as r:
                body = r.read()
                assert r.status == 200, path
                assert len(body) > 500, path
        with urllib.request.urlopen(server.url + "/search?q=" + quote("에이전트")) as r:
            assert "2024-10-04" in r.read().decode()
    finally:
        server.stop()
    assert snapshot(redis_db) == before


def test_redis_away_is_a_503_page_not_a_traceback(demo_day: BuiltDay) -> None:
    async def make() -> Site:
        client: AsyncRedis[bytes] = AsyncRedis.from_url(
            "redis://127.0.0.1:1/0", socket_connect_timeout=1
        )
        return Site(days=AsyncDayReader(client, Keys()), search=SearchReader(client, Keys()))

    server = ServerThread(make).start()
    try:
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(server.url + "/2024-10-04", timeout=10)
        assert e.value.code == 503
        body = e.value.read().decode()
        assert "다시 시도" in body and "Traceback" not in body
        assert e.value.headers["Retry-After"] == "30"
    finally:
        server.stop()
