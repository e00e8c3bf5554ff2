"""Benchmark: the Discord bot against the Discord stand-in, each a process of its own, on a Redis
of its own (a redis-server it starts on a free port; or `--url` of an EMPTY database, checked).

    python bench/discord.py [-n 1000] [--concurrency 50] [--channels 200] [--days 40]
                            [--url redis://HOST:PORT/DB] [--profile DIR]

1. show: `n` `/aidigest show` interactions, `concurrency` in flight, over a few dozen queries
   asked again and again (sections of both kinds, one in ten an overview with its charts):
   answers the bot has cached. Latency is measured by the stand-in: from sending
   INTERACTION_CREATE to receiving the bot's callback.
2. uncached: `n` interactions, each a (kind, category, date) not asked before (`days` days).
3. component: `n` presses on the bot's own answers: a category picked in an overview's menu, a
   section's previous-day button.
4. post: the daily post (a header with the charts, a thread, every section) to `channels`
   channels in 20 guilds, with Discord-like limits: 5 requests per 5 s per route and channel, 50
   per second globally. post = first to last request of the post; floor = the least time those
   requests need under those limits (the larger of the global bound and the busiest bucket's).

Every wait is bounded. Run as a script this file's name shadows discord.py on sys.path: it must
not import discord (the bot runs in its own process). `--profile DIR` runs the bot and the
stand-in under cProfile and prints where their time went (bench/discord_profile.py).

Last line (goals: each p99 <= 100 ms, ratio <= 1.2, past_429=0):
  bench discord: p50=..ms p99=..ms p99_uncached=..ms p99_component=..ms post_200=..s
                 post_floor=..s ratio=R limited=N past_429=M
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
import time
from collections import Counter
from datetime import date, timedelta
from typing import Any

import aiohttp
import httpx
import redis
from discord_procs import Procs, bench_day, own_redis, subscribe_all
from discord_profile import report

from tests.doubles.discord_control import Control

WAIT = 10  # seconds any one interaction may take before the run is called off


async def phase(url: str, bodies: list[dict[str, Any]], concurrency: int) -> list[float]:
    """Send each interaction once, `concurrency` at a time; the stand-in's latencies (ms)."""
    gate = asyncio.Semaphore(concurrency)
    timeout = aiohttp.ClientTimeout(total=WAIT + 5)
    async with aiohttp.ClientSession(base_url=url, timeout=timeout) as http:

        async def one(body: dict[str, Any]) -> float:
            async with gate, http.post(f"/_control/interactions?wait={WAIT}&brief=1",
                                       json=body) as r:  # fmt: skip
                got = await r.json()
            if r.status != 200 or not got.get("callbacks"):
                raise RuntimeError(f"not answered: {body} -> {got}")
            return float(got["latency_ms"])

        return list(await asyncio.gather(*(one(b) for b in bodies)))


def show(guild: str, kind: str | None, cat: str | None, day: str | None) -> dict[str, Any]:
    opts = {k: v for k, v in (("kind", kind), ("category", cat), ("date", day)) if v}
    return {"guild_id": guild, "subcommand": "show", "options": opts}


def presses(ctl: Control, guild: str, dates: list[str], sections: list[tuple[str, str]],
            n: int) -> list[dict[str, Any]]:  # fmt: skip
    """`n` presses on answers the bot sent: half a category picked in a kind's overview menu,
    half the previous-day button of a section (each on a message of its own)."""
    out: list[dict[str, Any]] = []
    overviews = {}
    for kind in ("news", "papers"):
        res = ctl.interact(guild, "show", {"kind": kind, "date": dates[0]})
        msg = res["messages"][0]
        overviews[kind] = (msg["id"], msg["components"][0]["components"][0])
    for i in range(n):
        kind, cat = sections[i % len(sections)]
        if i % 2 == 0:
            mid, menu = overviews[kind]
            if cat in [o["value"] for o in menu["options"]]:
                out.append({"guild_id": guild, "message_id": mid, "custom_id": menu["custom_id"],
                            "values": [cat]})  # fmt: skip
                continue
        res = ctl.interact(guild, "show", {"kind": kind, "category": cat,
                                           "date": dates[1 + i % (len(dates) - 2)]})  # fmt: skip
        msg = res["messages"][-1]
        back = msg["components"][0]["components"][0]
        out.append({"guild_id": guild, "message_id": msg["id"], "custom_id": back["custom_id"]})
    return out


def post_phase(r: redis.Redis[bytes], ctl: Control, guilds: list[dict[str, Any]], day: str,
               hhmm: str) -> tuple[float, float, dict[str, Any]]:  # fmt: skip
    ctl.reset()
    ctl.limits(route={"limit": 5, "per": 5.0}, **{"global": {"limit": 50, "per": 1.0}})
    sids = subscribe_all(r, guilds, day, hhmm)
    ctl.wait_for(lambda: all(r.hexists(f"aidigest:posted:{s}:{day}", "_all") for s in sids),
                 timeout=600, every=0.5)  # fmt: skip
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


def p(lat: list[float], q: int) -> float:
    return statistics.quantiles(lat, n=100)[q - 1]


def measured(
    name: str, procs: Procs, bodies: list[dict[str, Any]], concurrency: int
) -> list[float]:
    """One phase's latencies; printed with the CPU each process spent per interaction (what
    load on the machine does not change, unlike the latency at this concurrency): the bot, the
    stand-in and this client. With `concurrency` in flight the latency is mostly waiting for
    the others' turns, so it grows with all three (see bench/discord_profile.py)."""
    started, (cpu_s0, cpu_b0), cpu_c0 = time.monotonic(), procs.cpu(), time.process_time()
    lat = asyncio.run(phase(procs.url, bodies, concurrency))
    (cpu_s, cpu_b), cpu_c, n = procs.cpu(), time.process_time(), len(bodies)
    print(f"{name}: n={n} concurrency={concurrency} p50={p(lat, 50):.1f}ms "
          f"p99={p(lat, 99):.1f}ms max={max(lat):.1f}ms wall={time.monotonic() - started:.1f}s "
          f"cpu_per_interaction: bot={(cpu_b - cpu_b0) / n * 1000:.2f}ms "
          f"stand-in={(cpu_s - cpu_s0) / n * 1000:.2f}ms "
          f"client={(cpu_c - cpu_c0) / n * 1000:.2f}ms", flush=True)  # fmt: skip
    return lat


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", help="an EMPTY Redis database (default: a redis-server of its own)")
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--channels", type=int, default=200)
    ap.add_argument("--days", type=int, default=40)
    ap.add_argument("--profile", help="a directory for the cProfile data of both processes")
    args = ap.parse_args()
    with own_redis(args.url) as url, Procs(url, args.profile) as procs:
        r: redis.Redis[bytes] = redis.Redis.from_url(url)
        today, hhmm, sections = bench_day(r, args.days)
        dates = [(date.fromisoformat(today) - timedelta(days=i)).isoformat()
                 for i in range(args.days)]  # fmt: skip
        ctl = procs.start()
        guilds = [ctl.add_guild(f"bench-{i}", [{"name": f"c{j}"} for j in range(10)])
                  for i in range(math.ceil(args.channels / 10))]  # fmt: skip
        g = guilds[0]["id"]
        procs.start_bot()
        ctl.wait_for(lambda: answered(ctl, g), timeout=90, every=0.5)
        ctl.limits(off=True)  # the answers' own buckets are not what is measured here

        asked = [show(g, k, c, today) for k, c in sections] + [show(g, None, None, today)] * 5
        asyncio.run(phase(procs.url, asked, args.concurrency))  # warm: each asked once
        cached = [asked[i % len(asked)] for i in range(args.n)]
        lat = measured("show (cached)", procs, cached, args.concurrency)
        fresh = [show(g, k, c, d) for d in dates[args.days // 2 :] for k, c in sections]
        unc = measured("uncached", procs, fresh[: args.n], args.concurrency)
        bodies = presses(ctl, g, dates[: args.days // 2], sections, args.n)
        comp = measured("component", procs, bodies, args.concurrency)
        if args.profile:  # the profiles cover the interactions only: no daily post
            procs.stop()
            print(report(args.profile, len(asked) + len(cached) + len(fresh[: args.n]) +
                         2 * len(bodies)))  # fmt: skip
            return
        post, floor, stats = post_phase(r, ctl, guilds, today, hhmm)
        print(f"post: channels={args.channels} requests={stats['requests']} "
              f"messages={stats['messages']} logs={procs.logdir}", flush=True)  # fmt: skip
        print(f"bench discord: p50={p(lat, 50):.1f}ms p99={p(lat, 99):.1f}ms "
              f"p99_uncached={p(unc, 99):.1f}ms p99_component={p(comp, 99):.1f}ms "
              f"post_200={post:.1f}s post_floor={floor:.1f}s ratio={post / floor:.2f} "
              f"limited={stats['limited']} past_429={stats['past_429']}")  # fmt: skip


if __name__ == "__main__":
    main()
