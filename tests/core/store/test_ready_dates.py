"""The ready days as the bots read them (AsyncDayReader with dates_ttl): read once for all the
answers that want them at one moment, kept, and read again after a publish."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from core.store.async_reader import AsyncDayReader
from core.store.keys import Keys


def counted() -> tuple[AsyncDayReader, list[int]]:
    """A reader that finds 2024-10-04 ready, then (its second read) 2024-10-05 too; each read
    takes 10 ms and is counted."""
    reader = AsyncDayReader(Redis(), Keys(), dates_ttl=60.0)  # never connects
    reads: list[int] = []

    async def dates() -> tuple[str, ...]:
        reads.append(1)
        await asyncio.sleep(0.01)
        return ("2024-10-04",) if len(reads) == 1 else ("2024-10-05", "2024-10-04")

    reader.read_dates = dates  # type: ignore[method-assign]
    return reader, reads


def test_answers_in_flight_together_read_the_ready_days_once() -> None:
    async def play() -> list[int]:
        reader, reads = counted()
        got = await asyncio.gather(*(reader.dates() for _ in range(50)))
        assert all(g == ["2024-10-04"] for g in got)
        assert await reader.dates() == ["2024-10-04"]  # kept
        counts = [len(reads)]
        reader.published("2024-10-05")
        assert await reader.dates() == ["2024-10-05", "2024-10-04"]
        counts.append(len(reads))
        return counts

    assert asyncio.run(play()) == [1, 2]


def test_a_read_under_way_when_a_day_is_published_is_not_kept() -> None:
    async def play() -> list[str]:
        reader, reads = counted()
        early = asyncio.ensure_future(reader.dates())
        while not reads:  # the read is under way
            await asyncio.sleep(0)
        reader.published("2024-10-05")  # while the first read is under way
        assert await early == ["2024-10-04"]  # what it read, for the answer that asked
        return await reader.dates()

    assert asyncio.run(play()) == ["2024-10-05", "2024-10-04"]
