"""Real processes for tests and benchmarks: one in its own session with its output in a file,
signalled with all its descendants; a redis-server of one's own; polling with a deadline."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import httpx
from redis import Redis
from redis.exceptions import RedisError

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(
    check: Callable[[], T | None],
    what: str,
    timeout: float = 120.0,
    every: float = 0.2,
    context: Callable[[], str] | None = None,
) -> T:
    """Poll `check()` until it returns something truthy and return that. A check that raises
    a connection error (a process restarting) counts as not yet. Fails with `what` and the
    `context` (e.g. a log tail) after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last: object = None
    while True:
        try:
            value = check()
            if value:
                return value
            last = value
        except (OSError, httpx.HTTPError, RedisError) as e:
            last = e
        if time.monotonic() > deadline:
            extra = f"\n{context()}" if context else ""
            raise AssertionError(f"gave up waiting for {what} (last: {last!r}){extra}")
        time.sleep(every)


class Proc:
    """One process in its own session; signals reach its group and every descendant (an RQ
    worker's work horse leaves the group)."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], cwd: Path, log: Path):
        self.name, self.args, self.log = name, args, log
        with log.open("ab") as out:
            self.p = subprocess.Popen(
                args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    @property
    def pid(self) -> int:
        return self.p.pid

    def alive(self) -> bool:
        return self.p.poll() is None

    def signal(self, sig: int) -> None:
        family = _descendants(self.p.pid)  # before the parent dies and they are re-parented
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.p.pid, sig)
        for pid in family:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)

    def kill(self) -> None:
        """SIGKILL: no goodbyes, nothing flushed, leases and locks left behind."""
        self.signal(signal.SIGKILL)
        self.p.wait(timeout=10)

    def stop(self, grace: float = 15.0) -> None:
        if self.alive():
            self.signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.p.wait(timeout=grace)
        self.signal(signal.SIGKILL)  # whatever is left of the family (a stuck work horse)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.p.wait(timeout=10)

    def text(self) -> str:
        return self.log.read_text("utf-8", errors="replace")

    def tail(self, chars: int = 4000) -> str:
        return f"--- {self.log.name} ---\n{self.text()[-chars:]}"


def _descendants(root: int) -> list[int]:
    parent: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parent[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [root]
    while frontier:
        kids = [pid for pid, ppid in parent.items() if ppid in frontier]
        found += kids
        frontier = kids
    return found


class RedisServer:
    """A redis-server of one's own on a free port, with a password. `persistent`: an
    append-only file fsynced on every write, so a restart keeps the subscriptions and delivery
    ledgers, as a production Redis that holds them must; otherwise nothing is kept on disk (as on
    these machines) and a restart loses everything."""

    def __init__(self, base: Path, *, persistent: bool = True) -> None:
        self.port, self.password = free_port(), secrets.token_hex(16)
        self.persistent = persistent
        self.dir = base / "redis"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.log = base / "logs" / "redis-server.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.p: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.port}/0"

    def client(self) -> Redis[bytes]:
        return Redis(port=self.port, password=self.password, socket_timeout=10)

    def start(self) -> None:
        disk = ["--appendonly", "yes", "--appendfsync", "always"] if self.persistent else []
        cmd = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
               "--requirepass", self.password, "--dir", str(self.dir), "--save", "",
               "--appendonly", "no", *disk]  # fmt: skip
        with self.log.open("ab") as out:
            self.p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                      start_new_session=True)  # fmt: skip
        self.starts += 1
        with self.client() as r:
            wait_until(r.ping, "redis-server to answer", timeout=20, every=0.05)

    def stop(self) -> None:
        if self.p is not None and self.p.poll() is None:
            self.p.terminate()
            try:
                self.p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait(timeout=10)

    def restart(self) -> str:
        """Stop and start again (every client loses its connection); the new run_id."""
        self.stop()
        self.start()
        with self.client() as r:
            return str(r.info("server")["run_id"])
