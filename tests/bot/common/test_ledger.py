"""Exactly once per message part, through errors, retries and restarts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.common.ledger import Ledger
from tests.bot.helpers import FakeClock, aredis, run

pytestmark = pytest.mark.usefixtures("redis_db")
START = datetime(2024, 10, 4, tzinfo=UTC)


class Lost(Exception):
    """The platform did the work, but the answer never came back."""


class Channel:
    def __init__(self, lose: int = 0, refuse: int = 0) -> None:
        self.posted: list[str] = []
        self.lose, self.refuse = lose, refuse

    async def send(self) -> str:
        if self.refuse:
            self.refuse -= 1
            raise Lost("refused")  # nothing posted
        self.posted.append("m")
        if self.lose:
            self.lose -= 1
            raise Lost("lost")
        return str(len(self.posted))

    async def find(self) -> str | None:
        return str(len(self.posted)) if self.posted else None


def _ledger(clock: FakeClock) -> Ledger:
    return Ledger(aredis(), "aidigest:posted:slack:T1:C1:2024-10-04", clock)


def test_a_part_is_sent_once_and_its_ref_remembered() -> None:
    async def scenario() -> None:
        ch = Channel()
        ledger = _ledger(FakeClock(START))
        assert await ledger.once("header", ch.send, find=ch.find) == "1"
        assert await ledger.once("header", ch.send, find=ch.find) == "1"
        assert await ledger.done("header") == "1" and await ledger.done("other") is None
        assert ch.posted == ["m"]
        assert not await ledger.finished()
        await ledger.finish()
        assert await ledger.finished()

    run(scenario())


def once_transient(ch: Channel) -> tuple[str, datetime]:
    """Sends a part through the ledger, every error transient: its ref, and the time after."""

    async def scenario() -> tuple[str, datetime]:
        clock = FakeClock(START)
        got = await _ledger(clock).once("p", ch.send, find=ch.find, transient=lambda e: True)
        return got, clock.now()

    return run(scenario())


def test_a_lost_answer_is_looked_up_not_sent_again() -> None:
    ch = Channel(lose=1)
    got, _ = once_transient(ch)
    assert got == "1" and ch.posted == ["m"]


def test_a_refused_send_is_retried_until_it_posts() -> None:
    ch = Channel(refuse=2)
    got, after = once_transient(ch)
    assert got == "1" and ch.posted == ["m"]
    assert after > START  # it backed off


def test_an_error_that_is_not_transient_is_raised_and_resumed_after_a_restart() -> None:
    async def scenario() -> None:
        ch = Channel(lose=1)
        clock = FakeClock(START)
        with pytest.raises(Lost):
            await _ledger(clock).once("p", ch.send, find=ch.find)
        # a new process: the part is pending, the lookup finds it posted
        assert await _ledger(clock).once("p", ch.send, find=ch.find) == "1"
        assert ch.posted == ["m"]

    run(scenario())
