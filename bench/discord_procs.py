"""The processes and data of bench/discord.py: a Redis of its own, the Discord stand-in and the
bot as processes (optionally under cProfile), the published days and the subscriptions.

No import of discord here either (bench/discord.py shadows it on sys.path).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

import redis

from bot.common.subscription import Subscription
from core.demo import build_demo_day
from core.localtime import latest_at, parse_hhmm
from core.store.codec import READY
from core.store.keys import Keys
from core.store.writer import save_day
from tests.days import redate
from tests.doubles.discord_control import Control
from tests.procs import Proc, RedisServer, free_port, wait_until

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "bench-token"
KEYS = Keys()


@contextmanager
def own_redis(url: str | None) -> Iterator[str]:
    """A redis-server of the bench's own on a free port (tests/procs.py), gone afterwards; or
    `url`, which must be an empty database (the bench never flushes data it did not write)."""
    if url:
        r: redis.Redis[bytes] = redis.Redis.from_url(url)
        if r.dbsize():
            raise SystemExit(f"{url} is not empty: give an empty database, or no --url")
        try:
            yield url
        finally:
            r.flushdb()
        return
    with tempfile.TemporaryDirectory(prefix="bench-discord-redis-") as tmp:
        server = RedisServer(Path(tmp), persistent=False)
        server.start()
        try:
            yield server.url
        finally:
            server.stop()


def bench_day(r: redis.Redis[bytes], days: int) -> tuple[str, str, list[tuple[str, str]]]:
    """The sample day published under today and the `days - 1` days before (all ready);
    (today, a post time just past, its sections as (kind, category))."""
    now = datetime.now(UTC)
    hhmm = (now - timedelta(minutes=2)).strftime("%H:%M")
    today, _ = latest_at(parse_hhmm(hhmm), "UTC", now)
    built = build_demo_day(["en"])
    for back in range(days - 1, -1, -1):  # oldest first: today is the newest event
        save_day(r, KEYS, redate(built, today - timedelta(days=back)), retention_days=365)
    sections = [(s.kind, s.category) for s in built.digests["en"].sections]
    return today.isoformat(), hhmm, sections


def subscribe_all(r: redis.Redis[bytes], guilds: list[dict[str, Any]], day: str,
                  hhmm: str) -> list[str]:  # fmt: skip
    """Every channel subscribed to everything and due now; a digest.ready event wakes the bot."""
    now = time.time()
    sids = []
    with r.pipeline(transaction=True) as pipe:
        for g in guilds:
            for ch in g["channels"]:
                sub = Subscription(platform="discord", team=g["id"], channel=ch,
                                   kinds=["news", "papers"], time=hhmm, tz="UTC", lang="en",
                                   created_by="bench", created_at=str(now))  # fmt: skip
                pipe.set(KEYS.sub(sub.sid), sub.model_dump_json())
                pipe.sadd(KEYS.team("discord", g["id"]), sub.sid)
                pipe.zadd(KEYS.due("discord"), {sub.sid: now})
                sids.append(sub.sid)
        pipe.xadd(KEYS.events, {"type": READY, "date": day, "langs": "en"})
        pipe.execute()
    return sids


class Procs:
    """The stand-in and the bot as processes (tests/procs.py); logs (and profiles) in a
    temporary directory."""

    def __init__(self, redis_url: str, profile: str | None) -> None:
        self.redis_url, self.profile = redis_url, profile
        self.logdir = Path(tempfile.mkdtemp(prefix="bench-discord-"))
        self.url = ""
        self.running: list[Proc] = []

    def _python(self, name: str, module: str) -> list[str]:
        if not self.profile:
            return [sys.executable, "-m", module]
        Path(self.profile).mkdir(parents=True, exist_ok=True)
        out = str(Path(self.profile) / f"{name}.prof")
        return [sys.executable, "-m", "cProfile", "-o", out, "-m", module]

    def start(self) -> Control:
        port = free_port()
        cmd = [*self._python("stand-in", "tests.doubles.discord_server"), "--token", TOKEN,
               "--port", str(port)]  # fmt: skip
        self.running.append(Proc("stand-in", cmd, dict(os.environ), ROOT,
                                 self.logdir / "stand-in.log"))  # fmt: skip
        self.url = f"http://127.0.0.1:{port}"
        ctl = Control(self.url, timeout=60)
        wait_until(lambda: ctl.stats(), "the stand-in to listen", timeout=30, every=0.05)
        return ctl

    def start_bot(self) -> None:
        env = {**os.environ, "DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE": f"{self.url}/api/v10",
               "DISCORD_GATEWAY_URL": self.url.replace("http", "ws") + "/gateway",
               "REDIS_URL": self.redis_url, "DIGEST_LANGUAGE": "en", "DIGEST_TIMEZONE": "UTC",
               "DIGEST_LOG_FORMAT": "json"}  # fmt: skip
        cmd = self._python("bot", "bot.discord_bot")
        self.running.append(Proc("bot", cmd, env, ROOT, self.logdir / "bot.log"))

    def cpu(self) -> tuple[float, float]:
        """CPU seconds used so far by (the stand-in, the bot), from /proc (Linux)."""
        out = []
        for proc in self.running[:2]:
            try:
                fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
                out.append((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"))
            except (OSError, IndexError, ValueError):
                out.append(float("nan"))
        return out[0], out[1]

    def stop(self) -> None:
        for proc in reversed(self.running):  # the bot first: it still talks to the stand-in
            proc.stop(grace=30)
        self.running.clear()

    def __enter__(self) -> Procs:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
