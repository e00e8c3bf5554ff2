"""What bench/slack.py runs on: a redis-server of its own (a free port, no persistence, stopped
at the end), processes started with bounded waits for their readiness, and stopped with bounded
waits too (SIGTERM, then SIGKILL). Logs go to a temporary directory, named on failure."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from redis import Redis

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class BenchRedis:
    """redis-server on a free port, empty, gone when the bench ends."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self, timeout: float = 10.0) -> None:
        if shutil.which("redis-server") is None:
            raise SystemExit("bench: redis-server is not installed (apt-get install redis-server)")
        self.proc = await asyncio.create_subprocess_exec(
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(Exception):
                r = Redis.from_url(self.url)
                if r.ping():
                    if r.dbsize():
                        raise SystemExit(f"bench: the Redis on port {self.port} is not empty")
                    return
            if time.monotonic() > deadline:
                raise SystemExit("bench: redis-server did not answer")
            await asyncio.sleep(0.05)

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.terminate()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.proc.wait(), 5)
            if self.proc.returncode is None:
                self.proc.kill()
                await self.proc.wait()


class Procs:
    """Processes of one bench run, their logs in one temporary directory."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="bench-slack-"))
        self.procs: list[asyncio.subprocess.Process] = []

    async def spawn(
        self, name: str, args: list[str], env: dict[str, str], ready: str, timeout: float = 30
    ) -> asyncio.subprocess.Process:
        """Start `python args…`; return once GET `ready` answers (< 500) within `timeout`."""
        log = (self.dir / f"{name}.log").open("wb")
        proc = await asyncio.create_subprocess_exec(
            sys.executable, *args, cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)},
            stdout=log, stderr=log,
        )  # fmt: skip
        self.procs.append(proc)
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as http:
            while time.monotonic() < deadline and proc.returncode is None:
                with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                    async with http.get(ready) as r:
                        if r.status < 500:
                            return proc
                await asyncio.sleep(0.05)
        raise SystemExit(f"bench: {name} did not start (log: {self.dir / name}.log)")

    async def stop(self) -> None:
        for p in self.procs:
            if p.returncode is None:
                p.terminate()
        for p in self.procs:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(p.wait(), 6)
            if p.returncode is None:
                p.kill()
                await p.wait()
