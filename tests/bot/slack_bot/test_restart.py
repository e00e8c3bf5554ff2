"""A bot process SIGKILLed in the middle of the daily post, then restarted: every subscription
is posted exactly once, every message of it once (a real subprocess, the Web API stand-in)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from redis.asyncio import Redis

from bot.common.subscription_store import Subscriptions
from core.pipeline import BuiltDay
from core.store.keys import Keys
from tests import ROOT
from tests.bot.helpers import PREFIX, REDIS_URL, aredis, publish, run, slack_sub
from tests.days import redate
from tests.doubles.slack_api import SlackApi

pytestmark = [pytest.mark.usefixtures("redis_db"), pytest.mark.slow]
TZ = "Asia/Seoul"
CHANNELS = [f"C{i:02d}" for i in range(6)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bot_env(api: SlackApi, port: int, token: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DIGEST_"))}
    env.update(
        SLACK_BOT_TOKEN=token,
        SLACK_SIGNING_SECRET="restart-secret",
        SLACK_API_URL=api.base_url,
        SLACK_PORT=str(port),
        REDIS_URL=REDIS_URL,
        DIGEST_KEY_PREFIX=PREFIX,
        DIGEST_LANGUAGE="en",
        DIGEST_TIMEZONE=TZ,
        DIGEST_LOG_FORMAT="json",
    )
    return env


async def start_bot(
    api: SlackApi,
    port: int,
    *,
    token: str = "xoxb-T1-restart",
    pace: float = 0.05,
    lease: float = 2,
) -> asyncio.subprocess.Process:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.slack_bot",
        "--host",
        "127.0.0.1",
        "--pace",
        str(pace),
        "--lease",
        str(lease),
        cwd=ROOT,
        env=bot_env(api, port, token),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    async with aiohttp.ClientSession() as http:
        for _ in range(200):
            try:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as r:
                    if r.status == 200:
                        return proc
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    proc.kill()
    raise AssertionError("the bot did not start")


async def wait_for(check: object, timeout: float) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():  # type: ignore[operator]
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def subscribe_due(r: Redis, channels: list[str], local: datetime, now: datetime) -> None:
    """Subscribe each of `channels` in team T1 to news and papers at `local`'s time (a minute
    before `now`), saved two minutes ago: the post is due."""
    for ch in channels:
        sub = slack_sub(ch, time=f"{local:%H:%M}", tz=TZ, created_at=now.isoformat())
        await Subscriptions(r, Keys(PREFIX)).save(sub, now=now.timestamp() - 120)


def test_a_killed_bot_restarts_and_posts_each_subscription_once(demo_day: BuiltDay) -> None:
    now = datetime.now(UTC)
    local = (now - timedelta(minutes=1)).astimezone(ZoneInfo(TZ))
    for day in {local.date(), (now - timedelta(days=1)).astimezone(ZoneInfo(TZ)).date()}:
        publish(redate(demo_day, day))
    per_channel = 1 + len(demo_day.digests["en"].sections)

    async def scenario() -> SlackApi:
        api = SlackApi(interval=0.05)
        await api.start()
        api.grant("xoxb-T1-restart", team="T1")
        for ch in CHANNELS:
            api.add_channel(ch, team="T1")
        r = aredis()
        await subscribe_due(r, CHANNELS, local, now)
        port = free_port()
        first = await start_bot(api, port)
        await wait_for(lambda: sum(map(len, api.messages.values())) >= per_channel * 2, 30)
        first.send_signal(signal.SIGKILL)  # mid-delivery, maybe mid-request
        await first.wait()
        killed_at = sum(map(len, api.messages.values()))
        second = await start_bot(api, port)
        try:
            await wait_for(lambda: all(len(api.posts(c)) >= per_channel for c in CHANNELS), 60)
            await asyncio.sleep(0.5)  # anything extra would show up now
        finally:
            second.send_signal(signal.SIGTERM)
            await second.wait()
        assert killed_at < per_channel * len(CHANNELS)  # it really was killed mid-way
        await r.aclose()
        await api.close()
        return api

    api = run(scenario())
    for ch in CHANNELS:
        msgs = api.posts(ch)
        uids = Counter((m.get("metadata") or {}).get("event_payload", {}).get("uid") for m in msgs)
        headers = [m for m in msgs if m.get("files")]
        assert len(headers) == 1 and len(msgs) == per_channel, ch
        assert uids[None] == 1 and set(uids.values()) == {1}, ch  # the header has no metadata
        assert all(m.get("thread_ts") == headers[0]["ts"] for m in msgs if m is not headers[0])
