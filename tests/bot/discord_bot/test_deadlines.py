"""Discord drops an interaction not answered within 3 seconds (10062 Unknown interaction). An
autocomplete answers within 2.5 s, with no choices when its data is slow to come; an interaction
that reached the bot too late to answer (a command, an autocomplete, a button press answered or
refused) is logged as what it is, never as an error."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.bot.discord_bot.helpers import REDIS_URL, BotThread, Day, guild_for, serving
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


def a_late_press(control: Control, guild: dict[str, Any], message_id: str, custom_id: str) -> None:
    """Press `custom_id` on message `message_id` as Discord delivers it 3.2 s late, and wait until
    Discord has refused the bot's answer and the bot has said so."""
    res = control.press(guild["id"], message_id, custom_id, age=3.2, wait=0)
    done = control.wait_for(lambda: control.interaction(res["id"])["refused"], timeout=5)
    assert done[0]["status"] == 404  # Discord refused it: it came too late


def test_a_late_button_press_is_not_an_error(
    guild: dict[str, Any], control: Control, day: Day, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    res = control.interact(guild["id"], "show", {"kind": "papers", "category": "llm",
                                                 "date": day.date})  # fmt: skip
    message = res["messages"][0]
    overview = message["components"][0]["components"][2]
    assert overview["label"] == "Overview"
    a_late_press(control, guild, message["id"], overview["custom_id"])
    control.wait_for(lambda: any("too late to answer" in r.getMessage() for r in caplog.records), 5)
    assert errors(caplog) == []


def test_a_late_refused_press_is_not_an_error(
    stand_in: StandIn, guild: dict[str, Any], control: Control, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    stale = "aidigest:0:s:papers:llm:2024-10-04"  # an older version's button: refused
    channel = guild["channels"][0]
    row = {"type": 1, "components": [{"type": 2, "style": 2, "label": "go", "custom_id": stale}]}
    old = httpx.post(f"{stand_in.api_base}/channels/{channel}/messages",
                     headers={"Authorization": f"Bot {stand_in.token}"},
                     json={"content": "an old post", "components": [row]}).json()  # fmt: skip
    a_late_press(control, guild, old["id"], stale)
    control.wait_for(lambda: any("too late to refuse" in r.getMessage() for r in caplog.records), 5)
    assert errors(caplog) == []
