"""Claims on the real Redis: atomic across claimers, leased, fenced, woken by a ready day."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from bot.common.due import DueQueue
from core.store.keys import Keys
from tests.bot.helpers import aredis, run

pytestmark = pytest.mark.usefixtures("redis_db")
KEYS = Keys("aidigest")


async def _fill(n: int, when: float = 1000.0) -> None:
    r = aredis()
    await r.zadd(KEYS.due("slack"), {f"slack:T1:C{i}": when for i in range(n)})
    await r.aclose()


@asynccontextmanager
async def queue(n: int) -> AsyncIterator[DueQueue]:
    """Slack's queue of due subscriptions holding `n`, due at 1000 s, on a connection of its own."""
    await _fill(n)
    r = aredis()
    try:
        yield DueQueue(r, KEYS, "slack")
    finally:
        await r.aclose()


def test_two_claimers_never_get_the_same_subscription() -> None:
    async def scenario() -> tuple[list[str], list[str]]:
        await _fill(500)
        a, b = aredis(), aredis()
        qa, qb = DueQueue(a, KEYS, "slack"), DueQueue(b, KEYS, "slack")

        async def drain(q: DueQueue) -> list[str]:
            got: list[str] = []
            while batch := await q.claim(2000.0, 600, 7):
                got += [s for s, _ in batch]
                await asyncio.sleep(0)
            return got

        ga, gb = await asyncio.gather(drain(qa), drain(qb))
        await a.aclose()
        await b.aclose()
        return ga, gb

    ga, gb = run(scenario())
    assert not set(ga) & set(gb)
    assert len(ga) + len(gb) == 500 and ga and gb


def test_a_dead_claimers_subscription_comes_back_after_the_lease() -> None:
    async def scenario() -> None:
        async with queue(1) as q:
            [(sid, lease)] = await q.claim(2000.0, 600, 10)
            assert await q.claim(2599.0, 600, 10) == []  # leased
            [(again, lease2)] = await q.claim(2600.5, 600, 10)  # the claimer died: it is back
            assert again == sid and lease2 != lease
            assert not await q.release(sid, lease, 90_000.0)  # the first claim no longer holds
            assert await q.release(sid, lease2, 90_000.0)
            assert await q.score(sid) == 90_000.0

    run(scenario())


def test_a_removed_subscription_is_not_brought_back_by_release() -> None:
    async def scenario() -> None:
        async with queue(1) as q:
            [(sid, lease)] = await q.claim(2000.0, 600, 10)
            await q.redis.zrem(q.key, sid)  # unsubscribed while posting
            assert not await q.release(sid, lease, 90_000.0)
            assert await q.score(sid) is None

    run(scenario())


def test_parked_subscriptions_wake_when_their_day_is_ready_unless_they_moved() -> None:
    async def scenario() -> None:
        async with queue(2) as q:
            claimed = await q.claim(2000.0, 600, 10)
            for sid, lease in claimed:
                assert await q.park(sid, lease, 2900.0, "2024-10-04")
            moved = claimed[1][0]
            await q.redis.zadd(q.key, {moved: 5000.0})  # re-subscribed at another time meanwhile
            assert await q.wake("2024-10-05", 2100.0) == 0  # another day: nothing
            assert await q.wake("2024-10-04", 2100.0) == 1
            assert await q.score(claimed[0][0]) == 2100.0
            assert await q.score(moved) == 5000.0
            assert await q.wake("2024-10-04", 2200.0) == 0  # woken once

    run(scenario())
