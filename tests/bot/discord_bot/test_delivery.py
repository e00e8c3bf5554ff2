"""The daily post through bot/common's delivery: a header with the charts, then the sections in a
thread on it (or as plain messages where threads are not allowed), once per subscription and day,
with nothing in it able to ping anyone, within the stand-in's rate limits."""

from __future__ import annotations

import time
from typing import Any

import pytest
import redis

from core.digest import Section, SourceRef
from tests.bot.discord_bot.helpers import (
    KEYS,
    BotThread,
    Day,
    brisk,
    parts_of,
    posted,
    subscribe_due,
    titles,
)
from tests.doubles.discord_control import Control


@pytest.fixture(scope="module")
def guilds(bot: BotThread, control: Control) -> list[dict[str, Any]]:
    made = [
        control.add_guild("one", [{"name": "digest"}, {"name": "no-threads", "threads": False}]),
        control.add_guild("two", [{"name": "ai"}]),
        control.add_guild("three", [{"name": "papers"}]),
    ]
    control.wait_for(lambda: all(bot.has_guild(g["id"]) for g in made))
    return made


def embed_text(embeds: list[dict[str, Any]]) -> str:
    return "\n".join(f"{e.get('title', '')}\n{e.get('description', '')}" for e in embeds)


def test_daily_post_to_several_guilds_with_threads(
    control: Control, db: redis.Redis, day: Day, guilds: list[dict[str, Any]]
) -> None:
    brisk(control)
    targets = [(g["id"], c) for g in guilds for c in g["channels"]]
    sids = [subscribe_due(g, c, day) for g, c in targets]
    control.wait_for(lambda: all(posted(db, s, day) for s in sids), timeout=30)
    want = parts_of(day)
    no_threads = guilds[0]["channels"][1]
    for _, channel in targets:
        msgs = control.messages(channel_id=channel)
        header, *rest = msgs
        assert header["message"]["channel_id"] == channel and not header["thread"]
        assert header["message"]["content"].startswith("**Daily Artificial Intelligence")
        assert [f["png"] for f in header["files"]] == [True, True]
        assert [titles(m) for m in rest] == want  # every section, once, in order
        in_thread = {m["thread"] for m in rest}
        assert in_thread == ({False} if channel == no_threads else {True})
        if channel != no_threads:  # the thread hangs on the header message
            assert {m["message"]["channel_id"] for m in rest} == {header["message"]["id"]}
    assert all(m["allowed_mentions"] == {"parse": []} for m in control.messages())

    # Due again the same day (a second process, a clock jump): nothing is posted twice.
    before = len(control.messages())
    now = time.time()
    db.zadd(KEYS.due("discord"), dict.fromkeys(sids, now))
    control.wait_for(lambda: all(float(db.zscore(KEYS.due("discord"), s) or 0) > now + 60
                                 for s in sids))  # fmt: skip
    assert len(control.messages()) == before


def test_a_feed_title_with_everyone_pings_no_one(
    bot: BotThread, control: Control, db: redis.Redis, day: Day, guilds: list[dict[str, Any]]
) -> None:
    key = KEYS.prefix + f":section:{day.date}:en:papers:rl"
    section = Section.model_validate_json(db.get(key) or b"")
    hostile = "Free GPUs @everyone @here <@123456789012345678>"
    first = SourceRef(**{**section.sources[0].model_dump(), "title": hostile})
    parts = [p.model_copy(update={"text": hostile + " [1]"}) for p in section.parts]
    db.set(key, section.model_copy(update={"sources": [first], "parts": parts}).model_dump_json())
    bot.published(day.date)  # the section changed: as a publish does, the bot is told
    gid, channel = guilds[1]["id"], guilds[1]["channels"][0]
    db.delete(KEYS.posted(f"discord:{gid}:{channel}", day.date))
    control.reset()
    sid = subscribe_due(gid, channel, day, kinds=["papers"], categories=["papers:rl"])
    control.wait_for(lambda: posted(db, sid, day))
    sent = [m for m in control.messages(channel_id=channel) if "Free GPUs" in str(m["message"])]
    assert sent, "the section with the hostile title was not posted"
    for m in sent:
        assert m["allowed_mentions"] == {"parse": []} and not m["would_ping"]
        body = embed_text(m["message"]["embeds"])
        assert "@everyone" not in body and "@\u200beveryone" in body
    shown = control.interact(gid, "show", {"kind": "papers", "category": "rl", "date": day.date})
    data = shown["callbacks"][0]["data"]
    assert data["allowed_mentions"] == {"parse": []}
    assert "@everyone" not in embed_text(data["embeds"])


def test_rate_limits_are_waited_out_never_hammered(
    control: Control, db: redis.Redis, day: Day, guilds: list[dict[str, Any]]
) -> None:
    control.reset()
    control.limits(route={"limit": 2, "per": 0.5}, **{"global": {"limit": 50, "per": 1.0}})
    control.fault("POST /channels/{channel_id}/messages", status=429, retry_after=0.3, times=2)
    gid, channel = guilds[2]["id"], guilds[2]["channels"][0]
    db.delete(KEYS.posted(f"discord:{gid}:{channel}", day.date))
    sid = subscribe_due(gid, channel, day, kinds=["news"])
    control.wait_for(lambda: posted(db, sid, day), timeout=40)
    stats = control.stats()
    assert stats["limited"] >= 2  # the injected 429s were answered…
    assert stats["past_429"] == 0  # …and no request came back before its retry_after
    msgs = control.messages(channel_id=channel)
    assert [titles(m) for m in msgs[1:]] == parts_of(day, ("news",))
    control.reset()
