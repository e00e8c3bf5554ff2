"""Slack benchmark: slash commands (cached and uncached) and button presses against `python -m
bot.slack_bot`, compared with a bare Bolt app, and the daily post to 200 channels.

    python bench/slack.py [--requests 2000] [--uncached 300] [--actions 300]
                          [--concurrency 50] [--channels 200] [--uploads]

1. Signed `/aidigest papers LLM 2024-10-04` over HTTP, 50 at a time, to the bot (HTTP mode,
   40 published days in Redis): the same text each time, so the answer cache serves it; and the
   same to a bare Bolt app that acks a constant (the floor: same Bolt, server and stand-in).
2. Uncached: a different category and date per command (`papers llm 2024-10-03`, `news
   ai-business 2024-09-30`, …), each answered by the shared answerer from Redis.
3. Button presses: signed block_actions opening a different section each, none of those the
   uncached commands asked for (so no cache of theirs helps); the bot acks, looks
   it up, renders it and sends it to the press's response_url. The latency is what the user
   waits for: from the press to the answer reaching the response_url (the stand-in's clock of
   arrival; CLOCK_MONOTONIC is one clock for every process).
4. The day's post to 200 subscribed channels of one workspace through the Web API stand-in
   (Slack's limits enforced: a message a second per channel, method tiers), with the charts as
   the web archive's images (DIGEST_PUBLIC_URL), or uploaded (--uploads). post_floor is the least
   time those limits allow (bench/slack_post.py).

Runs on a redis-server of its own (a free port, started and stopped here; bench/slack_stack.py),
every wait bounded. Last line:
bench slack: p50=..ms p99=..ms floor_p50=..ms ratio=R p99_uncached=..ms p99_action=..ms
             post_200=..s post_floor=..s
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

import aiohttp  # noqa: E402

from bench.slack_stack import BenchRedis, Procs, free_port  # noqa: E402

PREFIX = "aidigest"
SECRET = "bench-signing-secret"
TOKEN = "xoxb-T1-bench"
DAY = "2024-10-04"
DAYS = 40  # published days: distinct sections for the uncached commands, and others for presses
ROUNDS = 4  # cached commands go in rounds, ours and the floor's in turn


async def main(opts: argparse.Namespace) -> str:
    redis = BenchRedis()
    await redis.start()
    procs = Procs()
    try:
        return await measure(opts, redis.url, procs)
    finally:
        await procs.stop()
        await redis.stop()


async def setup_workspace(api: str, channels: int) -> None:
    """What exists in the stand-in's Slack: the bot token, the channels commands come from and
    the channels posted to, the user who types."""
    chans = [f"C{i}" for i in range(97)] + [f"CH{i:04d}" for i in range(channels)]
    body = {
        "tokens": [{"token": TOKEN, "team": "T1"}],
        "channels": [{"id": c, "team": "T1"} for c in chans],
        "users": [{"id": "U1", "team": "T1"}],
    }
    async with aiohttp.ClientSession() as http, http.post(f"{api}/_setup", json=body) as r:
        assert r.status == 200, r.status


async def measure(opts: argparse.Namespace, redis_url: str, procs: Procs) -> str:
    from bench import slack_load as load
    from bench.slack_post import floor, post_day

    per_channel, pairs = load.publish_days(redis_url, PREFIX, DAY, DAYS)
    days = load.dates(DAY, DAYS)
    api_port, app_port, floor_port = free_port(), free_port(), free_port()
    api = f"http://127.0.0.1:{api_port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DIGEST_"))}
    env.update(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=f"{api}/api/",
        REDIS_URL=redis_url,
        DIGEST_KEY_PREFIX=PREFIX,
        DIGEST_LANGUAGE="en",
        DIGEST_LOG_FORMAT="json",
    )
    stand_in = ["-m", "tests.doubles.slack_api", "--port", str(api_port)]
    await procs.spawn("slack_api", stand_in, env, f"{api}/_stats")
    await setup_workspace(api, opts.channels)
    bot = f"http://127.0.0.1:{app_port}"
    args = ["-m", "bot.slack_bot", "--no-delivery", "--host", "127.0.0.1"]
    await procs.spawn("bot", args, {**env, "SLACK_PORT": str(app_port)}, f"{bot}/healthz")
    bare = f"http://127.0.0.1:{floor_port}"
    await procs.spawn("floor", [__file__, "--serve-floor", str(floor_port)], env, f"{bare}/healthz")

    c = opts.concurrency
    async with load.client(c) as to_bot, load.client(c) as to_bare:
        warm = load.commands(load.uncached_texts(pairs, days[-2:], 2 * len(pairs)))
        for http, url in ((to_bot, bot), (to_bare, bare)):  # connections, auth.test
            await load.latencies(http, url, warm, c, SECRET)
        cached = load.commands([f"papers LLM {DAY}"] * (opts.requests // ROUNDS))
        ours: list[float] = []
        bare_ms: list[float] = []
        targets = [(to_bot, bot, ours), (to_bare, bare, bare_ms)]
        for i in range(ROUNDS):  # in turn, so a busy moment of the machine hits both alike
            for http, url, out in targets if i % 2 == 0 else targets[::-1]:
                out += await load.latencies(http, url, cached, c, SECRET)
        fresh = load.commands(load.uncached_texts(pairs, days[:-2], opts.uncached))
        uncached = await load.latencies(to_bot, bot, fresh, c, SECRET)
        urls = await load.response_urls(api, opts.actions)
        sent: list[float] = []
        pressed = days[:-2][::-1]  # from the other end: sections no command has asked for
        if (len(days) - 2) * len(pairs) < opts.uncached + opts.actions:
            raise SystemExit("bench: too few published sections for disjoint commands and presses")
        presses = load.presses(pairs, pressed, opts.actions, urls)
        await load.latencies(to_bot, bot, presses, c, SECRET, sent)
        actions = await load.arrivals(api, urls, sent)

    post_floor = floor(per_channel, opts.channels, opts.uploads)
    limit = max(120.0, 3 * post_floor)
    post = await post_day(
        redis_url, PREFIX, f"{api}/api/", TOKEN, opts.channels, uploads=opts.uploads, limit=limit
    )
    async with aiohttp.ClientSession() as http, http.get(f"{api}/_stats") as r:
        stats = await r.json()
    for name, xs in (
        ("cached", ours),
        ("bare", bare_ms),
        ("uncached", uncached),
        ("actions", actions),
    ):
        print(load.summary(name, xs))
    charts = "uploaded" if opts.uploads else "the web archive's images"
    print(
        f"post: {opts.channels} channels, charts as {charts}; {stats['messages']} messages, "
        f"{stats['rate_limited']} rate-limited (429), {stats['orphans']} orphaned uploads"
    )
    p50, p99, f50 = load.pct(ours, 50), load.pct(ours, 99), load.pct(bare_ms, 50)
    return (
        f"bench slack: p50={p50:.1f}ms p99={p99:.1f}ms floor_p50={f50:.1f}ms "
        f"ratio={p50 / f50:.2f} p99_uncached={load.pct(uncached, 99):.1f}ms "
        f"p99_action={load.pct(actions, 99):.1f}ms "
        f"post_{opts.channels}={post:.1f}s post_floor={post_floor:.1f}s"
    )


def serve_floor(port: int) -> None:
    """A bare Bolt app acking a constant: the same Bolt, server and settings as ours."""
    from redis.asyncio import Redis
    from slack_bolt.async_app import AsyncAck, AsyncApp

    from bot.slack_bot.client import make_client
    from bot.slack_bot.http_server import build_web, serve

    async def run() -> None:
        app = AsyncApp(
            client=make_client(os.environ["SLACK_API_URL"], TOKEN),
            signing_secret=SECRET,
            process_before_response=True,
        )

        @app.command("/aidigest")
        async def constant(ack: AsyncAck) -> None:
            await ack("ok")

        redis = Redis.from_url(os.environ["REDIS_URL"])
        web_app = build_web(app, redis, http_mode=True, signing_secret=SECRET)
        await serve(web_app, "127.0.0.1", port)
        await asyncio.Event().wait()

    asyncio.run(run())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--uncached", type=int, default=300)
    parser.add_argument("--actions", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--channels", type=int, default=200)
    parser.add_argument("--uploads", action="store_true", help="upload the charts (no archive)")
    parser.add_argument("--serve-floor", type=int, default=0, help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.serve_floor:
        serve_floor(opts.serve_floor)
    else:
        print(asyncio.run(main(opts)), flush=True)
