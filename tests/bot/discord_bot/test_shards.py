"""DISCORD_SHARDS turns on AutoShardedClient; a process delivers only for its shards' guilds."""

from __future__ import annotations

from typing import Any

import pytest
import redis

from bot.discord_bot.shards import shard_of
from tests.bot.discord_bot.helpers import KEYS, BotThread, Day, posted, subscribe_due
from tests.doubles.discord_control import Control
from tests.doubles.discord_server import StandIn


def guild_on(control: Control, shard: int, n: int) -> dict[str, Any]:
    gid = ((1000 + 2 * n + shard) << 22) | 7  # Discord puts a guild on (id >> 22) % shards
    assert shard_of(gid, 2) == shard
    return control.add_guild(f"shard{shard}-{n}", [{"name": "general"}], id=str(gid))


@pytest.mark.slow  # several gateway connections
def test_every_shard_connects_and_answers(
    stand_in: StandIn, control: Control, db: redis.Redis
) -> None:
    guilds = [guild_on(control, s, 0) for s in (0, 1)]
    bot = BotThread(stand_in, shards=2).start()
    try:
        assert sorted(map(tuple, control.stats()["sessions"])) == [(0, 2), (1, 2)]
        assert all(bot.has_guild(g["id"]) for g in guilds)
        res = control.interact(guilds[1]["id"], "dates", {})
        assert res["callbacks"] and res["callbacks"][0]["type"] == 4
    finally:
        bot.stop()


def test_a_process_delivers_only_for_its_shards(
    stand_in: StandIn, control: Control, db: redis.Redis, day: Day
) -> None:
    mine, theirs = guild_on(control, 0, 1), guild_on(control, 1, 1)
    sid_mine = subscribe_due(mine["id"], mine["channels"][0], day, kinds=["news"])
    sid_theirs = subscribe_due(theirs["id"], theirs["channels"][0], day, kinds=["news"])
    due_before = db.zscore(KEYS.due("discord"), sid_theirs)
    bot = BotThread(stand_in, shards=2, shard_ids=[0]).start()
    try:
        assert control.stats()["sessions"] == [[0, 2]]
        control.wait_for(lambda: posted(db, sid_mine, day))
    finally:
        bot.stop()
    assert not posted(db, sid_theirs, day)
    assert db.zscore(KEYS.due("discord"), sid_theirs) == due_before  # never claimed here
    assert control.messages(guild_id=theirs["id"]) == []
