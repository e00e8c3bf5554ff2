"""Exactly once where the bot may not read the channel's history. After a crash, a message that may
have been sent cannot be looked for; Discord refuses a duplicate nonce only for a few minutes. So
the bot sends it again only within that window (the nonce makes it safe), and later records it as
uncertain and goes on rather than risk posting it twice. The stand-in keeps Discord's window."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import redis

from core.localtime import SystemClock
from tests.bot.discord_bot.helpers import (
    KEYS,
    BotThread,
    Day,
    brisk,
    guild_for,
    posted,
    subscribe_due,
)
from tests.doubles.discord_control import Control
from tests.doubles.discord_server import StandIn

MESSAGES = "POST /channels/{channel_id}/messages"


@pytest.fixture
def clock() -> SystemClock:
    return SystemClock()


@pytest.fixture
def first(
    stand_in: StandIn, control: Control, db: redis.Redis, clock: SystemClock
) -> Iterator[BotThread]:
    control.reset()
    brisk(control)
    bot = BotThread(stand_in, clock=clock).start()
    yield bot
    bot.stop()


def no_history_channel(control: Control, bot: BotThread, name: str) -> tuple[str, str]:
    g = guild_for(bot, control, name, [{"name": "digest", "history": False, "threads": False}])
    return g["id"], g["channels"][0]


def contents(control: Control, channel: str) -> list[str]:
    """Each message as what tells it apart: its text, or its embeds' titles and beginnings."""
    return [m["message"]["content"] or json.dumps([(e.get("title"), e.get("description", "")[:300])
                                                   for e in m["message"]["embeds"]])
            for m in control.messages(channel_id=channel)]  # fmt: skip


def test_a_lost_answer_is_sent_again_within_the_nonce_window(
    first: BotThread, control: Control, db: redis.Redis, day: Day
) -> None:
    gid, channel = no_history_channel(control, first, "lossy")
    control.fault(MESSAGES, major=channel, lost=True, times=1)  # the header: created, answer lost
    sid = subscribe_due(gid, channel, day, kinds=["news"])
    control.wait_for(lambda: posted(db, sid, day), timeout=30)
    sent = contents(control, channel)
    assert len(sent) == len(set(sent)), "a message was posted twice"
    assert sent[0].startswith("**Daily")  # the header is there, once


def test_after_the_window_a_maybe_sent_part_is_skipped_not_doubled(
    stand_in: StandIn,
    first: BotThread,
    control: Control,
    db: redis.Redis,
    day: Day,
) -> None:
    gid, channel = no_history_channel(control, first, "crashy")
    # The header is created, but its answer takes long: the process dies before it comes.
    control.fault(MESSAGES, major=channel, lost=True, delay=5.0, times=1)
    sid = subscribe_due(gid, channel, day, kinds=["news"])
    control.wait_for(lambda: len(control.messages(channel_id=channel)) == 1)
    first.crash()
    assert db.hget(KEYS.posted(sid, day.date), "header") == b"pending"

    # Ten minutes on (the default lease) for the stand-in and the next process alike.
    control.clock(advance=600)
    later = SystemClock(600)
    second = BotThread(stand_in, clock=later).start()
    try:
        control.wait_for(lambda: posted(db, sid, day), timeout=30)
        listed = control.interact(gid, "subscriptions", {})["callbacks"][0]["data"]["content"]
    finally:
        second.stop()
    sent = contents(control, channel)
    assert len(sent) == len(set(sent)), "a message was posted twice"
    assert sum(s.startswith("**Daily") for s in sent) == 1
    assert len(sent) > 1  # the sections went on, in the channel (no thread on an unknown header)
    assert "Read Message History" in listed  # the server's admins see what happened, and why
