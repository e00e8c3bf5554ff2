"""Our side of Slack's rate tiers: calls wait for room in their workspace's minute."""

from __future__ import annotations

import asyncio
import time

from bot.slack_bot.tiers import TierPacer
from tests.bot.helpers import run


def test_a_tier_admits_its_number_a_minute_per_workspace_and_method() -> None:
    pacer = TierPacer(minute=0.5, per_minute={"files.info": 3})

    async def call(team: str, method: str) -> float:
        async with pacer.slot(team, method):
            return time.monotonic()

    async def scenario() -> tuple[float, list[float], list[float]]:
        start = time.monotonic()
        t1 = await asyncio.gather(*(call("T1", "files.info") for _ in range(4)))
        t2 = await asyncio.gather(*(call("T2", "files.info") for _ in range(3)))
        untiered = await asyncio.gather(*(call("T1", "chat.postMessage") for _ in range(10)))
        return start, sorted(t1), t2 + untiered

    start, t1, others = run(scenario())
    assert all(t - start < 0.2 for t in t1[:3]) and t1[3] - start >= 0.5
    assert all(t - start < 0.7 for t in others)
    assert TierPacer().floor({"files.getUploadURLExternal": 400, "files.info": 50}) == 180.0
