"""A kept value (core/store/kept.py): read once for the callers in flight, served stale while
one read refreshes it after its ttl, dropped by forget(), and a failed refresh loses nothing."""

from __future__ import annotations

import asyncio
import logging

import pytest

from core.store.kept import Kept


class Source:
    """Counts reads; each takes a moment; `fail` makes the next reads raise."""

    def __init__(self) -> None:
        self.reads = 0
        self.fail = False

    async def read(self) -> int:
        self.reads += 1
        await asyncio.sleep(0.01)
        if self.fail:
            raise ConnectionError("redis away")
        return self.reads


def test_callers_in_flight_share_one_read() -> None:
    async def play() -> tuple[list[int], int]:
        kept: Kept[None, int] = Kept(60.0)
        source = Source()
        got = await asyncio.gather(*(kept.get(None, source.read) for _ in range(50)))
        return got, source.reads

    assert asyncio.run(play()) == ([1] * 50, 1)


def test_after_its_ttl_the_value_is_served_while_one_read_refreshes_it() -> None:
    async def play() -> tuple[list[int], int, int]:
        kept: Kept[None, int] = Kept(0.05)
        source = Source()
        await kept.get(None, source.read)
        await asyncio.sleep(0.06)  # expired
        stale = [await kept.get(None, source.read) for _ in range(20)]  # none waits a read
        await asyncio.sleep(0.03)  # the refresh lands
        return stale, source.reads, await kept.get(None, source.read)

    stale, reads, fresh = asyncio.run(play())
    assert stale == [1] * 20
    assert reads == 2  # one refresh for the twenty callers
    assert fresh == 2


def test_another_key_waits_for_its_own_read() -> None:
    async def play() -> tuple[int, int]:
        kept: Kept[str, int] = Kept(60.0)
        source = Source()
        await kept.get("2024-10-04", source.read)
        return await kept.get("2024-10-05", source.read), source.reads

    assert asyncio.run(play()) == (2, 2)


def test_forget_drops_the_value_and_a_read_under_way_is_not_kept() -> None:
    async def play() -> list[int]:
        kept: Kept[None, int] = Kept(60.0)
        source = Source()
        early = asyncio.ensure_future(kept.get(None, source.read))
        while not source.reads:
            await asyncio.sleep(0)
        kept.forget()  # a day published while the first read is under way
        first = await early  # what it read, for the caller that asked
        return [first, await kept.get(None, source.read), await kept.get(None, source.read)]

    assert asyncio.run(play()) == [1, 2, 2]


def test_a_failed_refresh_is_logged_and_the_kept_value_still_served(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def play() -> list[int]:
        kept: Kept[None, int] = Kept(0.01)
        source = Source()
        await kept.get(None, source.read)
        source.fail = True
        await asyncio.sleep(0.02)
        served = [await kept.get(None, source.read)]
        await asyncio.sleep(0.03)  # the refresh failed
        served.append(await kept.get(None, source.read))
        await asyncio.sleep(0.03)
        return served

    with caplog.at_level(logging.WARNING, logger="core.store.kept"):
        assert asyncio.run(play()) == [1, 1]
    assert "refreshing a kept value failed: ConnectionError: redis away" in caplog.text


def test_a_first_read_that_fails_reaches_its_callers() -> None:
    async def play() -> None:
        kept: Kept[None, int] = Kept(60.0)
        source = Source()
        source.fail = True
        await kept.get(None, source.read)

    with pytest.raises(ConnectionError):
        asyncio.run(play())
