"""A deleted channel's subscription is removed, whether the bot hears of the deletion on the
gateway (CHANNEL_DELETE) or only when a post is refused (10003 Unknown Channel), and the server's
admins can read why in `/aidigest subscriptions`."""

from __future__ import annotations

from typing import Any

import pytest
import redis

from tests.bot.discord_bot.helpers import (
    KEYS,
    MANAGE_GUILD,
    MEMBER,
    BotThread,
    Day,
    guild_for,
    posted,
    subscribe_due,
)
from tests.doubles.discord_control import Control

MESSAGES = "POST /channels/{channel_id}/messages"


@pytest.fixture
def guild(bot: BotThread, control: Control) -> dict[str, Any]:
    return guild_for(bot, control, "tidy", [{"name": "general"}, {"name": "old-news"}])


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


def test_a_changed_channel_is_seen_at_once(guild: dict[str, Any], control: Control) -> None:
    gid, general = guild["id"], guild["channels"][0]
    control.update_channel(general, embeds=False)  # CHANNEL_UPDATE: an overwrite denies it
    options = {"channel": general, "kinds": "papers"}
    said = control.interact(gid, "subscribe", options, permissions=MEMBER | MANAGE_GUILD)
    assert "Embed Links" in said["callbacks"][0]["data"]["content"]
    control.update_channel(general)  # the overwrite removed again
    said = control.interact(gid, "subscribe", options, permissions=MEMBER | MANAGE_GUILD)
    assert "Subscribed" in said["callbacks"][0]["data"]["content"]


def test_a_thread_made_but_not_confirmed_is_used(
    guild: dict[str, Any], control: Control, db: redis.Redis, day: Day
) -> None:
    gid, channel = guild["id"], guild["channels"][1]
    threads = "POST /channels/{channel_id}/messages/{message_id}/threads"
    control.fault(threads, major=channel, lost=True, status=502)  # made; the answer lost
    sid = subscribe_due(gid, channel, day, kinds=["news"])
    control.wait_for(lambda: posted(db, sid, day), timeout=20)
    header, *sections = control.messages(channel_id=channel)
    assert sections and all(m["thread"] for m in sections)  # discord.py's retry got 160004
    assert {m["message"]["channel_id"] for m in sections} == {header["message"]["id"]}
