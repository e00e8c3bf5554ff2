"""The in-process cache of decoded sections (core/store/day_cache.py), alone and inside the async
reader on a real Redis: a day published again is read fresh once its digest.ready is seen, and a
read that straddles that event never stores the old section."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from redis import Redis
from redis.asyncio import Redis as AsyncRedis

from core.digest import Section
from core.pipeline import BuiltDay
from core.store.async_reader import AsyncDayReader, follow_ready
from core.store.day_cache import DayCache
from tests.days import publish

DAY = "2024-10-04"


class Clock:
    t = 0.0

    def __call__(self) -> float:
        return self.t


def test_entries_are_kept_until_their_day_is_forgotten_or_they_expire() -> None:
    clock = Clock()
    cache: DayCache[str] = DayCache(size=2, ttl=10.0, now=clock)
    cache.put((DAY, "a"), "A", cache.generation(DAY))
    cache.put(("2024-10-03", "b"), "B", cache.generation("2024-10-03"))
    assert cache.get((DAY, "a")) == "A"
    cache.put(("2024-10-02", "c"), "C", cache.generation("2024-10-02"))  # evicts b, the LRU
    assert cache.get(("2024-10-03", "b")) is None and cache.get((DAY, "a")) == "A"
    cache.forget(DAY)
    assert cache.get((DAY, "a")) is None and cache.get(("2024-10-02", "c")) == "C"
    clock.t = 11.0
    assert cache.get(("2024-10-02", "c")) is None and len(cache) == 0


def test_a_read_that_began_before_a_publish_is_not_kept() -> None:
    cache: DayCache[str] = DayCache()
    before = cache.generation(DAY)
    cache.forget(DAY)  # the day was published while the old value was being read
    cache.put((DAY, "a"), "old", before)
    assert cache.get((DAY, "a")) is None
    before = cache.generation(DAY)
    cache.clear()
    cache.put((DAY, "a"), "old", before)
    assert cache.get((DAY, "a")) is None
    cache.put((DAY, "a"), "new", cache.generation(DAY))
    assert cache.get((DAY, "a")) == "new"


def rewritten(built: BuiltDay, words: str) -> BuiltDay:
    en = built.digests["en"]
    first = en.sections[0]
    part = first.parts[0].model_copy(update={"text": words})
    new = first.model_copy(update={"parts": [part, *first.parts[1:]]})
    digest = en.model_copy(update={"sections": [new, *en.sections[1:]]})
    return replace(built, digests={**built.digests, "en": digest})


def test_the_reader_answers_a_day_published_again_fresh(
    redis_db: Redis[bytes], redis_url: str, demo_day: BuiltDay
) -> None:
    first = demo_day.digests["en"].sections[0]
    wanted = [(first.kind, first.category)]

    async def text(reader: AsyncDayReader) -> str:
        [s] = await reader.sections(DAY, "en", wanted)
        assert isinstance(s, Section)
        return s.parts[0].text

    async def play() -> None:
        client: AsyncRedis[bytes] = AsyncRedis.from_url(redis_url)
        keys = publish(redis_db, demo_day)
        reader = AsyncDayReader(client, keys, cache=DayCache())
        follower = asyncio.create_task(follow_ready(client, keys, reader.published, block_ms=100))
        try:
            await asyncio.sleep(0.2)  # the follower reads on from the newest event
            [s1] = await reader.sections(DAY, "en", wanted)
            [s2] = await reader.sections(DAY, "en", wanted)
            assert s1 is s2  # decoded once
            publish(redis_db, rewritten(demo_day, "Written again."))
            for _ in range(100):  # the digest.ready reaches the follower within milliseconds
                if await text(reader) == "Written again.":
                    break
                await asyncio.sleep(0.01)
            assert await text(reader) == "Written again."
        finally:
            follower.cancel()
            await client.aclose()

    asyncio.run(play())
