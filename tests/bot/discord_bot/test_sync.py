"""Slash commands are synced only when their definitions change (a hash kept in Redis), or on
demand with `python -m bot.discord_bot sync [--guild ID]`."""

from __future__ import annotations

import os
import subprocess
import sys

import redis

from tests import ROOT
from tests.bot.discord_bot.helpers import PREFIX, REDIS_URL, BotThread
from tests.doubles.discord_control import Control
from tests.doubles.discord_server import StandIn


def test_sync_only_when_definitions_change(
    stand_in: StandIn, control: Control, db: redis.Redis
) -> None:
    for _ in range(2):  # a first start syncs; a restart with the same commands does not
        BotThread(stand_in).start().stop()
    assert control.stats()["syncs"] == ["global"]
    synced = control.commands()["global"]
    assert [c["name"] for c in synced] == ["aidigest"]
    subs = {o["name"] for o in synced[0]["options"]}
    assert subs == {"show", "search", "dates", "help", "subscribe", "unsubscribe", "subscriptions"}

    (key,) = db.keys(f"{PREFIX}:discord:commands:*:global")
    db.set(key, "the hash of older definitions")
    BotThread(stand_in).start().stop()
    assert control.stats()["syncs"] == ["global", "global"]


def test_sync_command_syncs_a_guild_now(stand_in: StandIn, control: Control) -> None:
    guild = control.add_guild("staging", [{"name": "general"}])
    env = {**os.environ, "DISCORD_TOKEN": stand_in.token, "DISCORD_API_BASE": stand_in.api_base,
           "DISCORD_GATEWAY_URL": stand_in.gateway_url, "REDIS_URL": REDIS_URL}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "bot.discord_bot", "sync", "--guild", guild["id"]],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"guild {guild['id']}" in done.stdout
    assert guild["id"] in control.stats()["syncs"]
    assert stand_in.token not in done.stdout + done.stderr
