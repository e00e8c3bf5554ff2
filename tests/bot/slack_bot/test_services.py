"""What the Slack listeners share (bot/slack_bot/services.py): the ready days are read once for
all the answers that want them at one moment, and read again after a publish."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from bot.slack_bot.services import Services, build_services
from core.localtime import SystemClock
from tests.bot.slack_bot.conftest import digest_settings


def counted() -> tuple[Services, list[int]]:
    """Services whose reader has 2024-10-04 ready, then (its second read) 2024-10-05 too; each
    read takes 10 ms and is counted."""
    services = build_services(Redis(), digest_settings(), SystemClock())  # never connects
    reads: list[int] = []

    async def dates() -> list[str]:
        reads.append(1)
        await asyncio.sleep(0.01)
        return ["2024-10-04"] if len(reads) == 1 else ["2024-10-05", "2024-10-04"]

    services.reader.dates = dates  # type: ignore[method-assign]
    return services, reads


def test_answers_in_flight_together_read_the_ready_days_once() -> None:
    async def play() -> list[int]:
        services, reads = counted()
        got = await asyncio.gather(*(services.dates() for _ in range(50)))
        assert set(got) == {("2024-10-04",)}
        assert await services.dates() == ("2024-10-04",)  # kept
        counts = [len(reads)]
        services.published("2024-10-05")
        assert await services.dates() == ("2024-10-05", "2024-10-04")
        counts.append(len(reads))
        return counts

    assert asyncio.run(play()) == [1, 2]


def test_a_read_under_way_when_a_day_is_published_is_not_kept() -> None:
    async def play() -> tuple[str, ...]:
        services, reads = counted()
        early = asyncio.ensure_future(services.dates())
        while not reads:  # the read is under way
            await asyncio.sleep(0)
        services.published("2024-10-05")  # while the first read is under way
        assert await early == ("2024-10-04",)  # what it read, for the answer that asked
        return await services.dates()

    assert asyncio.run(play()) == ("2024-10-05", "2024-10-04")
