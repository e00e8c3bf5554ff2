"""A bot process killed with SIGKILL in the middle of the daily post, then started again, posts
every message exactly once: the real `python -m bot.discord_bot`, against the stand-in."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from bot.discord_bot.embeds import pack, section_embeds
from tests import ROOT
from tests.bot.discord_bot.helpers import KEYS, REDIS_URL, Day, posted, subscribe_due
from tests.doubles.discord_control import Control
from tests.doubles.discord_server import StandIn

pytestmark = pytest.mark.slow


def start_bot(stand_in: StandIn, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DISCORD_TOKEN": stand_in.token,
        "DISCORD_API_BASE": stand_in.api_base,
        "DISCORD_GATEWAY_URL": stand_in.gateway_url,
        "DISCORD_SHARDS": "0",
        "REDIS_URL": REDIS_URL,
        "DIGEST_LANGUAGE": "en",
        "DIGEST_TIMEZONE": "UTC",
        "DIGEST_LOG_FORMAT": "json",
    }
    with log.open("ab") as out:  # the lease is short so that the restart re-claims at once
        return subprocess.Popen([sys.executable, "-m", "bot.discord_bot", "--lease", "2"],
                                cwd=ROOT, env=env, stdout=out, stderr=out)  # fmt: skip


@pytest.fixture
def procs() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for p in started:
        if p.poll() is None:
            p.terminate()
            p.wait(10)


def test_killed_mid_delivery_posts_once(
    stand_in: StandIn,
    control: Control,
    db: redis.Redis,
    day: Day,
    procs: list[subprocess.Popen[bytes]],
    tmp_path: Path,
) -> None:
    guilds = [control.add_guild(f"restart-{i}", [{"name": "digest"}]) for i in range(2)]
    targets = [(g["id"], g["channels"][0]) for g in guilds]
    sids = [subscribe_due(g, c, day, kinds=["papers"]) for g, c in targets]
    # Slow messages down so that the kill lands in the middle of the posts.
    control.fault("POST /channels/{channel_id}/messages", delay=0.25, times=-1)
    log = tmp_path / "bot.log"
    procs.append(start_bot(stand_in, log))
    control.wait_for(lambda: len(control.messages()) >= 6, timeout=30)
    procs[0].send_signal(signal.SIGKILL)
    procs[0].wait(10)
    assert not all(posted(db, s, day) for s in sids), "the post ended before the kill"
    ledgers = [db.hgetall(KEYS.posted(s, day.date)) for s in sids]
    assert b"pending" in {v for led in ledgers for v in led.values()}, "killed between messages"
    control.clear_faults()
    procs.append(start_bot(stand_in, log))
    control.wait_for(lambda: all(posted(db, s, day) for s in sids), timeout=40)

    sections = [s for s in day.built.digests["en"].sections if s.kind == "papers"]
    want = [
        [e.title or "" for e in g] for g in pack(e for s in sections for e in section_embeds(s))
    ]
    for _, channel in targets:
        msgs = control.messages(channel_id=channel)
        headers = [m for m in msgs if not m["thread"]]
        assert len(headers) == 1, log.read_text()[-2000:]
        assert [titles(m) for m in msgs if m["thread"]] == want
    assert control.stats()["identifies"] >= 2
    assert stand_in.token not in log.read_text()


def titles(msg: dict[str, Any]) -> list[str]:
    return [e.get("title", "") for e in msg["message"]["embeds"]]
