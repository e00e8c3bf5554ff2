"""With DIGEST_PUBLIC_URL set, each section links to its page in the web archive (the embed's
title), in slash answers and in the daily post; a day's overview links to the day's page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import redis

from tests.bot.discord_bot.guilds import serving_a_guild
from tests.bot.discord_bot.helpers import BotThread, Day, brisk, posted, subscribe_due
from tests.doubles.discord_control import Control
from tests.doubles.discord_server import StandIn

BASE = "https://digest.example/archive"


@pytest.fixture(scope="module")
def guild(stand_in: StandIn, control: Control, db: redis.Redis) -> Iterator[dict[str, Any]]:
    yield from serving_a_guild(BotThread(stand_in, public_url=BASE), control, "linked")


def test_slash_answers_link_to_the_archive(
    guild: dict[str, Any], control: Control, day: Day
) -> None:
    res = control.interact(guild["id"], "show", {"kind": "papers", "category": "llm",
                                                 "date": day.date})  # fmt: skip
    assert res["callbacks"][0]["data"]["embeds"][0]["url"] == f"{BASE}/{day.date}/papers/llm"
    res = control.interact(guild["id"], "show", {"kind": "news", "date": day.date})
    assert res["callbacks"][0]["data"]["embeds"][0]["url"] == f"{BASE}/{day.date}"


def test_the_daily_post_links_each_section(
    guild: dict[str, Any], control: Control, db: redis.Redis, day: Day
) -> None:
    brisk(control)
    channel = guild["channels"][0]
    sid = subscribe_due(guild["id"], channel, day, kinds=["news"])
    control.wait_for(lambda: posted(db, sid, day), timeout=30)
    header, *sections = control.messages(channel_id=channel)
    news = [s for s in day.built.digests["en"].sections if s.kind == "news"]
    urls = [e["url"] for m in sections for e in m["message"]["embeds"] if e.get("url")]
    assert urls == [f"{BASE}/{day.date}/news/{s.category}" for s in news]
    assert header["message"]["embeds"][0]["url"] == f"{BASE}/{day.date}"
