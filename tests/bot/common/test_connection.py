"""The bots' Redis client rides out a Redis restart: no command fails because its pooled
connection died with the old server (a real redis-server of this test's own, restarted)."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import time

import pytest
from redis.exceptions import TimeoutError

from bot.common.connection import connect, warm


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server(port: int) -> subprocess.Popen[bytes]:
    cmd = ["redis-server", "--port", str(port), "--bind", "127.0.0.1",
           "--save", "", "--appendonly", "no"]  # fmt: skip
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_commands_after_a_restart_and_during_a_short_outage_succeed() -> None:
    port = _free_port()
    server = _server(port)

    async def scenario() -> list[bytes | None]:
        nonlocal server
        r = connect(f"redis://127.0.0.1:{port}/0", max_connections=8)
        for _ in range(100):  # until the server listens
            try:
                await r.ping()
                break
            except Exception:
                await asyncio.sleep(0.05)
        await asyncio.gather(*(r.set(f"k{i}", b"v") for i in range(8)))  # 8 pooled connections
        server.terminate()
        server.wait(10)
        restarted = asyncio.get_running_loop().run_in_executor(None, _restart_later, port)
        got = await asyncio.gather(*(r.get(f"k{i}") for i in range(8)))  # during the outage
        server = await restarted
        got += [await r.get("k0")]
        await r.aclose()
        return got

    try:
        assert asyncio.run(scenario()) == [None] * 9  # a server with nothing on disk: empty
    finally:
        server.terminate()
        server.wait(10)


def _restart_later(port: int) -> subprocess.Popen[bytes]:
    time.sleep(0.5)
    return _server(port)


def test_a_blocking_read_that_times_out_is_not_started_over() -> None:
    """XREAD BLOCK longer than the socket timeout ends in a TimeoutError, as before: the retry
    is for dead connections only (retrying it would hold the delivery loop for many times the
    block)."""
    port = _free_port()
    server = _server(port)

    async def scenario() -> float:
        r = connect(f"redis://127.0.0.1:{port}/0", max_connections=2)
        for _ in range(100):
            try:
                await r.ping()
                break
            except Exception:
                await asyncio.sleep(0.05)
        t0 = time.monotonic()
        with pytest.raises(TimeoutError):
            await r.xread({"nothing": "0-0"}, block=60_000)
        await r.aclose()
        return time.monotonic() - t0

    try:
        assert asyncio.run(scenario()) < 30  # one socket timeout, not one per retry
    finally:
        server.terminate()
        server.wait(10)


def test_connections_opened_ahead_are_in_the_pool_and_a_missing_redis_is_no_error(
    redis_url: str,
) -> None:
    async def play() -> tuple[int, int, float]:
        redis = connect(redis_url)
        await warm(redis, 8)
        pool = redis.connection_pool
        ready = len(pool._available_connections)  # type: ignore[attr-defined]
        await redis.ping()  # an opened one serves
        await redis.aclose()
        away = connect(f"redis://127.0.0.1:{_free_port()}/0")
        t = time.monotonic()
        await warm(away, 8, timeout=0.5)
        took = time.monotonic() - t
        in_use = len(away.connection_pool._in_use_connections)  # type: ignore[attr-defined]
        await away.aclose()
        return ready, in_use, took

    ready, in_use, took = asyncio.run(play())
    assert ready == 8 and in_use == 0 and took < 2.0
