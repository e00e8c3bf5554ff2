"""Discord drops an interaction not answered within 3 seconds (10062 Unknown interaction). An
autocomplete answers within 2.5 s, with no choices when its data is slow to come; an interaction
that reached the bot too late to answer is logged as what it is, never as an error."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from tests.bot.discord_bot.helpers import REDIS_URL, BotThread, guild_for, serving
from tests.bot.discord_bot.slow_redis import SlowRedis
from tests.doubles.discord_control import Control
from tests.doubles.discord_server import StandIn


@pytest.fixture(scope="module")
def slow() -> Iterator[SlowRedis]:
    proxy = SlowRedis(REDIS_URL).start()
    yield proxy
    proxy.stop()


@pytest.fixture(scope="module")
def slow_bot(stand_in: StandIn, control: Control, db: Any, slow: SlowRedis) -> Iterator[BotThread]:
    yield from serving(BotThread(stand_in, redis_url=slow.url), control)


@pytest.fixture(scope="module")
def guild(slow_bot: BotThread, control: Control) -> dict[str, Any]:
    return guild_for(slow_bot, control, "slowpoke", [{"name": "general"}])


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def test_autocomplete_answers_in_time_when_redis_is_slow(
    guild: dict[str, Any], control: Control, slow: SlowRedis, caplog: pytest.LogCaptureFixture
) -> None:
    slow.delay = 3.5  # the ready days take longer to read than Discord waits
    try:
        res = control.interact(guild["id"], "show", {"date": ""}, focused="date", wait=6)
    finally:
        slow.delay = 0.0
    assert not res["refused"], res["refused"]  # Discord took the answer…
    (cb,) = res["callbacks"]
    assert cb["type"] == 8 and cb["data"]["choices"] == []  # …with no choices
    assert res["latency_ms"] < 2800
    assert errors(caplog) == []


@pytest.mark.parametrize(
    ("subcommand", "options", "focused"),
    [("show", {"category": "ll"}, "category"), ("dates", {}, None)],
)
def test_a_late_interaction_is_not_an_error(
    guild: dict[str, Any],
    control: Control,
    caplog: pytest.LogCaptureFixture,
    subcommand: str,
    options: dict[str, Any],
    focused: str | None,
) -> None:
    caplog.set_level(logging.INFO)
    extra = {"focused": focused} if focused else {}
    res = control.interact(guild["id"], subcommand, options, age=3.2, wait=0, **extra)
    done = control.wait_for(lambda: control.interaction(res["id"])["refused"], timeout=5)
    assert done[0]["status"] == 404  # Discord refused it: it came too late
    control.wait_for(lambda: any("too late" in r.getMessage() for r in caplog.records), 5)
    assert errors(caplog) == []
