"""A deleted channel's subscription is removed, whether the bot hears of the deletion on the
gateway (CHANNEL_DELETE) or only when a post is refused (10003 Unknown Channel), and the server's
admins can read why in `/aidigest subscriptions`."""

from __future__ import annotations

from typing import Any

import pytest
import redis

from tests.discord_bot.helpers import KEYS, MANAGE_GUILD, MEMBER, BotThread, Day, subscribe_due
from tests.doubles.discord_control import Control

MESSAGES = "POST /channels/{channel_id}/messages"


@pytest.fixture
def guild(bot: BotThread, control: Control) -> dict[str, Any]:
    g = control.add_guild("tidy", [{"name": "general"}, {"name": "old-news"}])
    control.wait_for(lambda: bot.has_guild(g["id"]))
    return g


def listing(control: Control, gid: str) -> str:
    res = control.interact(gid, "subscriptions", {}, permissions=MEMBER | MANAGE_GUILD)
    return str(res["callbacks"][0]["data"]["content"]).replace("\\", "")  # as Discord shows it


def test_a_deleted_channel_loses_its_subscription(
    guild: dict[str, Any], control: Control, db: redis.Redis
) -> None:
    gid, general, old = guild["id"], *guild["channels"]
    for channel in (general, old):
        options = {"channel": channel, "kinds": "papers"}
        control.interact(gid, "subscribe", options, permissions=MEMBER | MANAGE_GUILD)
    assert db.exists(KEYS.sub(f"discord:{gid}:{old}"))
    control.delete_channel(old)
    control.wait_for(lambda: not db.exists(KEYS.sub(f"discord:{gid}:{old}")))
    assert db.zscore(KEYS.due("discord"), f"discord:{gid}:{old}") is None
    assert db.exists(KEYS.sub(f"discord:{gid}:{general}"))
    said = listing(control, gid)
    assert "old-news" in said and "deleted" in said


def test_a_post_refused_as_unknown_channel_removes_the_subscription(
    guild: dict[str, Any], control: Control, db: redis.Redis, day: Day
) -> None:
    gid, channel = guild["id"], guild["channels"][0]
    control.fault(MESSAGES, major=channel, status=404, times=-1)  # 10003 Unknown Channel
    try:
        sid = subscribe_due(gid, channel, day, kinds=["news"])
        control.wait_for(lambda: not db.exists(KEYS.sub(sid)), timeout=20)
    finally:
        control.clear_faults()
    assert db.zscore(KEYS.due("discord"), sid) is None
    said = listing(control, gid)
    assert "general" in said and "Unknown Channel" in said
