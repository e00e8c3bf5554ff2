"""Cached answers expire, and are dropped when a day is published."""

from __future__ import annotations

import asyncio

import pytest

from core.pipeline import BuiltDay
from core.store.async_reader import follow_ready
from core.ttl_cache import TtlCache
from tests.bot.helpers import aredis, publish, reader, run


def test_entries_expire_and_the_least_recently_used_go_first() -> None:
    t = [0.0]
    cache: TtlCache[str, int] = TtlCache(ttl=10, size=2, now=lambda: t[0])
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" used since "b" was put
    cache.put("c", 3)  # full: "b" goes
    assert cache.get("b") is None and cache.get("a") == 1 and cache.get("c") == 3
    t[0] = 10.5
    assert cache.get("a") is None and len(cache) == 1
    cache.clear()
    assert len(cache) == 0


def test_a_cache_of_size_or_ttl_zero_keeps_nothing() -> None:
    for off in (TtlCache[str, int](ttl=0), TtlCache[str, int](size=0)):
        assert off.put("a", 1) == 1
        assert off.get("a") is None and len(off) == 0


@pytest.mark.usefixtures("redis_db")
def test_a_published_day_is_announced(demo_day: BuiltDay) -> None:
    async def scenario() -> list[str]:
        r = aredis()
        seen: list[str] = []
        task = asyncio.create_task(follow_ready(r, reader(r).keys, seen.append, block_ms=50))
        await asyncio.sleep(0.2)  # following from now on
        publish(demo_day)
        for _ in range(100):
            if seen:
                break
            await asyncio.sleep(0.02)
        task.cancel()
        await r.aclose()
        return seen

    assert run(scenario()) == ["2024-10-04"]
