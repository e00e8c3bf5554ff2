"""`python -m bot.slack_bot` as a real process: a token Slack refuses ends it at start with a
message; SIGTERM or SIGINT ends it within 5 s, cleanly, while Socket Mode cannot connect, while
auth.test hangs at start, while idle in HTTP mode, and in the middle of the daily post, handing
its claims back so another process finishes the post at once."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from core.pipeline import BuiltDay
from tests.bot.helpers import aredis, publish, run
from tests.bot.slack_bot.test_restart import (
    ROOT,
    TZ,
    bot_env,
    free_port,
    start_bot,
    subscribe_due,
    wait_for,
)
from tests.days import redate
from tests.doubles.slack_api import SlackApi

pytestmark = [pytest.mark.usefixtures("redis_db"), pytest.mark.slow]
TOKEN = "xoxb-T1-process"


async def spawn(api: SlackApi, port: int, **env: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.slack_bot",
        "--host",
        "127.0.0.1",
        cwd=ROOT,
        env=bot_env(api, port, TOKEN) | env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def healthy(port: int, timeout: float = 15) -> dict[str, object]:
    deadline = asyncio.get_running_loop().time() + timeout
    async with aiohttp.ClientSession() as http:
        while asyncio.get_running_loop().time() < deadline:
            try:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as r:
                    return dict(await r.json())
            except aiohttp.ClientError:
                await asyncio.sleep(0.05)
    raise AssertionError("the bot did not listen")


async def slack_granting_token(**options: float) -> SlackApi:
    """A started Slack stand-in (`options` as SlackApi takes them) accepting TOKEN for team T1."""
    api = SlackApi(**options)
    await api.start()
    api.grant(TOKEN, team="T1")
    return api


@asynccontextmanager
async def running(
    api: SlackApi, port: int, **env: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    """The bot spawned against `api`; then killed if it still runs (a test failed), `api` closed."""
    proc = await spawn(api, port, **env)
    try:
        yield proc
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await api.close()


async def stop_and_read(
    proc: asyncio.subprocess.Process, sig: int
) -> tuple[float, int | None, str]:
    """The seconds `sig` took to end `proc` (as `stop_time`), its exit code and its stderr."""
    took = await stop_time(proc, sig)
    err = (await proc.stderr.read()).decode() if proc.stderr else ""
    return took, proc.returncode, err


async def stop_time(proc: asyncio.subprocess.Process, sig: int = signal.SIGTERM) -> float:
    """Seconds from the signal to the end of the process (killed and failed after 10 s)."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    proc.send_signal(sig)
    try:
        await asyncio.wait_for(proc.wait(), 10)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise AssertionError("the bot ignored the signal for 10 s") from None
    return loop.time() - started


def test_a_token_slack_refuses_ends_the_process_with_a_message() -> None:
    async def scenario() -> tuple[int | None, str]:
        api = SlackApi()
        await api.start()  # TOKEN was never granted: invalid_auth
        proc = await spawn(api, free_port())
        try:
            _, err = await asyncio.wait_for(proc.communicate(), 15)
        except TimeoutError:
            proc.kill()
            await proc.wait()
            raise AssertionError("the bot kept running with a refused token") from None
        finally:
            await api.close()
        return proc.returncode, err.decode()

    code, err = run(scenario())
    assert code != 0
    assert "Slack refused SLACK_BOT_TOKEN (invalid_auth)" in err and TOKEN not in err


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_socket_mode_within_5_s_while_it_cannot_connect(sig: int) -> None:
    async def scenario() -> float:
        api = await slack_granting_token()
        app_token = api.grant(team="T1", kind="app")
        api.fail("apps.connections.open", status=503, times=10_000)  # Slack is away
        port = free_port()
        async with running(api, port, SLACK_APP_TOKEN=app_token) as proc:
            assert (await healthy(port))["mode"] == "socket"
            await wait_for(lambda: any(c.method == "apps.connections.open" for c in api.calls), 10)
            await asyncio.sleep(1.0)  # it is trying to connect now
            return await stop_time(proc, sig)

    assert run(scenario()) < 5.0


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_it_within_5_s_while_auth_test_hangs_at_start(sig: int) -> None:
    """Slack takes the connection for auth.test and never answers (the check would wait 5 s)."""

    async def scenario() -> tuple[float, int | None, str]:
        api = await slack_granting_token()
        api.hold("auth.test", 60)
        async with running(api, free_port()) as proc:
            await wait_for(lambda: "auth.test" in api.held, 15)
            await asyncio.sleep(0.5)  # waiting on Slack now
            return await stop_and_read(proc, sig)

    took, code, err = run(scenario())
    assert took < 5.0
    assert code == 0, err[-500:]  # a clean stop, not the watchdog's exit
    assert "stopped while starting" in err and "slack bot ready" not in err


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_an_idle_http_mode_process_within_5_s(sig: int) -> None:
    async def scenario() -> tuple[float, int | None, str]:
        api = await slack_granting_token()
        port = free_port()
        async with running(api, port) as proc:
            assert (await healthy(port))["mode"] == "http"
            await asyncio.sleep(1.0)  # nothing to do: no command, no post due
            return await stop_and_read(proc, sig)

    took, code, err = run(scenario())
    assert took < 5.0 and code == 0, err[-500:]
    assert "stopping" in err


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_mid_post_hands_the_claims_to_the_next_process_at_once(
    demo_day: BuiltDay, sig: int
) -> None:
    now = datetime.now(UTC)
    local = (now - timedelta(minutes=1)).astimezone(ZoneInfo(TZ))
    for day in {local.date(), (now - timedelta(days=1)).astimezone(ZoneInfo(TZ)).date()}:
        publish(redate(demo_day, day))
    channels = [f"C{i:02d}" for i in range(4)]
    per_channel = 1 + len(demo_day.digests["en"].sections)

    async def scenario() -> tuple[float, float, SlackApi]:
        api = await slack_granting_token(interval=0.3)  # slow enough to stop it mid-post
        r = aredis()
        for ch in channels:
            api.add_channel(ch, team="T1")
        await subscribe_due(r, channels, local, now)
        port = free_port()
        first = await start_bot(api, port, token=TOKEN, pace=0.3, lease=600)
        await wait_for(lambda: sum(map(len, api.messages.values())) >= 3, 30)
        took = await stop_time(first, sig)
        assert sum(len(api.posts(c)) for c in channels) < per_channel * len(channels)
        second = await start_bot(api, port, token=TOKEN, pace=0.3, lease=600)
        started = asyncio.get_running_loop().time()
        try:  # the lease is 600 s: only handed-back claims can be finished this soon
            await wait_for(lambda: all(len(api.posts(c)) >= per_channel for c in channels), 30)
            finished = asyncio.get_running_loop().time() - started
            await asyncio.sleep(0.5)
        finally:
            await stop_time(second)
        await r.aclose()
        await api.close()
        return took, finished, api

    took, finished, api = run(scenario())
    assert took < 5.0 and finished < 30
    for ch in channels:
        uids = Counter(
            (m.get("metadata") or {}).get("event_payload", {}).get("uid") for m in api.posts(ch)
        )
        assert len(api.posts(ch)) == per_channel and set(uids.values()) == {1}, ch
