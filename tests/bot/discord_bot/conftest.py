"""Fixtures of the Discord bot tests: the stand-in (tests/doubles/discord_server.py) served from
a thread, a real Redis database of their own (12) holding a built day, and the real bot, in a
thread of its own or as a process, connected to the stand-in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from tests import redis_claim
from tests.bot.discord_bot.helpers import REDIS_URL, BotThread, Day, build, publish, serving
from tests.doubles.discord_control import Control
from tests.doubles.discord_server import StandIn


@pytest.fixture(scope="session")
def day() -> Day:
    """The bundled demo day, built once, under today's date so that subscriptions are due."""
    return build()


@pytest.fixture(scope="module")
def db(day: Day) -> Iterator[redis.Redis]:
    redis_claim.flush()
    r = redis.Redis.from_url(REDIS_URL)
    publish(r, day)
    yield r
    r.close()
    redis_claim.flush()


@pytest.fixture(scope="module")
def stand_in() -> Iterator[StandIn]:
    server = StandIn().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def control(stand_in: StandIn) -> Iterator[Control]:
    ctl = Control(stand_in.url)
    yield ctl
    ctl.close()


@pytest.fixture(scope="module")
def bot(stand_in: StandIn, control: Control, db: redis.Redis) -> Iterator[BotThread]:
    yield from serving(BotThread(stand_in), control)
