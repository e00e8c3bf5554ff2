"""Benchmark: the Discord bot against the Discord stand-in, each a process of its own.

    python bench/discord.py [--url redis://127.0.0.1:6379/10] [-n 1000] [--concurrency 50]
                            [--channels 200]

1. show: `n` `/aidigest show` interactions, `concurrency` in flight at a time (sections of both
   kinds and dates, one in ten an overview with its two charts attached). Latency is measured by
   the stand-in: from sending INTERACTION_CREATE to receiving the bot's callback.
2. post: the daily post (everything: a header with the charts, a thread, every section) to
   `channels` channels in 20 guilds, with Discord-like limits: 5 requests per 5 s per route and
   channel, 50 per second globally. post = first to last request of the post; floor = the least
   time those same requests need under those limits (the larger of the global bound and the
   busiest bucket's); ratio = post / floor.

The database is flushed. Run as a script, this file's name shadows discord.py on sys.path:
it must not import discord (the bot runs in its own process).

Last line (goal: p99 <= 100 ms, ratio <= 1.2, past_429=0):
  bench discord: p50=..ms p99=..ms post_200=..s post_floor=..s ratio=R limited=N past_429=M
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import redis

from bot.common.subscription import Subscription
from core.demo import build_demo_day
from core.localtime import latest_at, parse_hhmm
from core.store.codec import READY
from core.store.keys import Keys
from core.store.writer import save_day
from tests.doubles.discord_control import Control

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "bench-token"
KEYS = Keys()


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, *args], cwd=ROOT, env={**os.environ, **env},
                                stdout=subprocess.PIPE if "tests." in args[1] else out,
                                stderr=out)  # fmt: skip


def publish(r: redis.Redis) -> tuple[str, str, list[tuple[str, str]]]:  # type: ignore[type-arg]
    """Build the sample day under today's date; (date, post time, its sections)."""
    now = datetime.now(UTC)
    hhmm = (now - timedelta(minutes=2)).strftime("%H:%M")
    day, _ = latest_at(parse_hhmm(hhmm), "UTC", now)
    built = build_demo_day(["en"])
    built.date = day.isoformat()
    for d in built.digests.values():
        d.date = built.date
        for s in d.sections:
            s.date = built.date
    save_day(r, Keys(), built, retention_days=365)
    return day.isoformat(), hhmm, [(s.kind, s.category) for s in built.digests["en"].sections]


async def show_phase(url: str, guild: str, day: str, sections: list[tuple[str, str]],
                     n: int, concurrency: int) -> list[float]:  # fmt: skip
    gate = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession(base_url=url) as http:

        async def one(i: int) -> float:
            kind, cat = sections[i % len(sections)]
            opts = {} if i % 10 == 0 else {"kind": kind, "category": cat, "date": day}
            body = {"guild_id": guild, "subcommand": "show", "options": opts}
            async with gate, http.post("/_control/interactions?wait=5&brief=1", json=body) as r:
                got = await r.json()
            if not got["callbacks"]:
                raise RuntimeError(f"interaction {i} was not answered")
            return float(got["latency_ms"])

        await asyncio.gather(*(one(i) for i in range(min(50, n))))  # warm-up
        return list(await asyncio.gather(*(one(i) for i in range(n))))


def post_phase(r: redis.Redis, ctl: Control, guilds: list[dict[str, Any]], day: str,  # type: ignore[type-arg]
               hhmm: str) -> tuple[float, float, dict[str, Any]]:  # fmt: skip
    ctl.reset()
    ctl.limits(route={"limit": 5, "per": 5.0}, **{"global": {"limit": 50, "per": 1.0}})
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
        pipe.xadd(Keys().events, {"type": READY, "date": day, "langs": "en"})  # wake it
        pipe.execute()
    while not all(r.hexists(KEYS.posted(s, day), "_all") for s in sids):
        time.sleep(0.2)
    log = [e for e in ctl.log() if e[3] == 200 and not e[1].split()[1].startswith("/inter")]
    post = log[-1][0] - log[0][0]
    buckets = Counter((route, major) for _, route, major, _ in log)
    floor = max([math.ceil(len(log) / 50) - 1.0] +
                [(math.ceil(c / 5) - 1) * 5.0 for c in buckets.values()])  # fmt: skip
    return post, floor, ctl.stats()


def answered(ctl: Control, guild: str) -> bool:
    try:
        return bool(ctl.interact(guild, "dates", {})["callbacks"])
    except httpx.HTTPStatusError:  # the guild's session is not up yet
        return False


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default="redis://127.0.0.1:6379/10")
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--channels", type=int, default=200)
    args = ap.parse_args()
    r = redis.Redis.from_url(args.url)
    r.flushdb()
    day, hhmm, sections = publish(r)
    logdir = Path(tempfile.mkdtemp(prefix="bench-discord-"))
    server = start(["-m", "tests.doubles.discord_server", "--token", TOKEN], {}, logdir / "s.log")
    assert server.stdout is not None
    url = server.stdout.readline().decode().split()[-1]
    ctl = Control(url)
    per = 10
    guilds = [ctl.add_guild(f"bench-{i}", [{"name": f"c{j}"} for j in range(per)])
              for i in range(math.ceil(args.channels / per))]  # fmt: skip
    env = {
        "DISCORD_TOKEN": TOKEN,
        "DISCORD_API_BASE": f"{url}/api/v10",
        "REDIS_URL": args.url,
        "DISCORD_GATEWAY_URL": url.replace("http", "ws") + "/gateway",
        "DIGEST_LANGUAGE": "en",
        "DIGEST_TIMEZONE": "UTC",
        "DIGEST_LOG_FORMAT": "json",
    }
    bot = start(["-m", "bot.discord_bot"], env, logdir / "bot.log")  # fmt: skip
    try:
        ctl.wait_for(lambda: ctl.stats()["sessions"], timeout=60)
        ctl.wait_for(lambda: answered(ctl, guilds[0]["id"]), timeout=60)
        lat = asyncio.run(show_phase(url, guilds[0]["id"], day, sections, args.n,
                                     args.concurrency))  # fmt: skip
        q = statistics.quantiles(lat, n=100)
        print(f"show: n={len(lat)} concurrency={args.concurrency} p50={q[49]:.1f}ms "
              f"p99={q[98]:.1f}ms max={max(lat):.1f}ms")  # fmt: skip
        post, floor, stats = post_phase(r, ctl, guilds, day, hhmm)
        print(f"post: channels={args.channels} requests={stats['requests']} "
              f"messages={stats['messages']} logs={logdir}")  # fmt: skip
        print(f"bench discord: p50={q[49]:.1f}ms p99={q[98]:.1f}ms post_200={post:.1f}s "
              f"post_floor={floor:.1f}s ratio={post / floor:.2f} limited={stats['limited']} "
              f"past_429={stats['past_429']}")  # fmt: skip
    finally:
        for p in (bot, server):
            p.terminate()
            p.wait(10)
        r.flushdb()


if __name__ == "__main__":
    main()
