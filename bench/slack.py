"""Slack benchmark: slash-command latency against a bare Bolt app, and the daily post to 200
channels at Slack's one message per second per channel.

    python bench/slack.py [--requests 2000] [--concurrency 50] [--channels 200]

1. 2,000 signed `/aidigest papers LLM <date>` over HTTP, 50 at a time, to `python -m
   bot.slack_bot` (HTTP mode, a built demo day in Redis), then the same to a bare Bolt app that
   acks a constant (the floor: same Bolt, same server, same Web API stand-in).
2. The day's post to 200 subscribed channels through the stand-in, which answers 429 to a
   second message within a second in a channel. post_floor is that limit's minimum: a channel's
   messages one second apart.

Runs on a redis-server of its own (a free port, started and stopped here; bench/slack_stack.py),
every wait bounded. Last line:
bench slack: p50=..ms p99=..ms floor_p50=..ms ratio=R post_200=..s post_floor=..s
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

import aiohttp  # noqa: E402
from redis import Redis as SyncRedis  # noqa: E402
from redis.asyncio import Redis  # noqa: E402

from bench.slack_stack import BenchRedis, Procs, free_port  # noqa: E402

PREFIX = "aidigest"
SECRET = "bench-signing-secret"
TOKEN = "xoxb-T1-bench"
DAY = "2024-10-04"
ROUNDS = 4  # the requests are sent in rounds, ours and the floor's in turn


def publish(redis_url: str) -> int:
    """The demo day in Redis; returns the messages a channel gets (header + sections)."""
    from core.demo import build_demo_day
    from core.store.keys import Keys
    from core.store.writer import save_day

    built = build_demo_day(["en"])
    save_day(SyncRedis.from_url(redis_url), Keys(PREFIX), built, retention_days=365)
    return 1 + len(built.digests["en"].sections)


async def load(url: str, n: int, concurrency: int) -> list[float]:
    """Latencies (ms) of n signed slash commands, `concurrency` in flight."""
    from tests.doubles.slack_requests import command_body, signed_headers

    bodies = [command_body(f"papers LLM {DAY}", channel=f"C{i % 97}") for i in range(n)]
    out: list[float] = []
    todo = iter(bodies)
    conn = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=10)  # Slack itself gives up after 3 s
    async with aiohttp.ClientSession(connector=conn, timeout=timeout) as http:

        async def worker() -> None:
            for body in todo:
                headers = signed_headers(SECRET, body)
                t = time.perf_counter()
                async with http.post(f"{url}/slack/events", data=body, headers=headers) as r:
                    await r.read()
                    assert r.status == 200, r.status
                out.append((time.perf_counter() - t) * 1000)

        for body in bodies[:50]:  # warm up: auth.test, connections, caches
            async with http.post(
                f"{url}/slack/events", data=body, headers=signed_headers(SECRET, body)
            ) as r:
                await r.read()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return out


def pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(p / 100 * len(s)))]


async def post_day(redis_url: str, api_url: str, channels: int, limit: float) -> float:
    """Seconds to post the day to `channels` channels, all due at once."""
    from bot.common.connection import connect
    from bot.common.delivery import Delivery
    from bot.common.subscription import Subscription
    from bot.common.subscription_store import Subscriptions
    from bot.slack_bot.client import make_client, make_session
    from bot.slack_bot.pacer import ChannelPacer
    from bot.slack_bot.poster import SlackPoster
    from core.store.async_reader import AsyncDayReader
    from core.store.keys import Keys

    redis = connect(redis_url)
    keys = Keys(PREFIX)
    now = datetime.now(UTC)
    for i in range(channels):  # a post time of the demo day, in a zone where it is that day
        sub = Subscription(
            platform="slack",
            team="T1",
            channel=f"CH{i:04d}",
            kinds=["news", "papers"],
            time="09:00",
            tz="UTC",
            lang="en",
            created_by="U1",
            created_at=now.isoformat(),
        )
        await Subscriptions(redis, keys).save(sub, now=0)
    clock = _DemoDayClock(datetime(2024, 10, 4, 9, 0, 1, tzinfo=UTC))
    session = make_session()

    async def token_for(team: str) -> str:
        return TOKEN

    poster = SlackPoster(make_client(api_url, session=session), token_for, ChannelPacer(1.0))
    delivery = Delivery(
        redis,
        keys,
        AsyncDayReader(redis, Keys(PREFIX)),
        poster,
        clock,
    )
    t = time.perf_counter()
    try:
        outcomes = await asyncio.wait_for(delivery.tick(), limit)
    except TimeoutError:
        raise SystemExit(
            f"bench: the post to {channels} channels took over {limit:.0f} s"
        ) from None
    took = time.perf_counter() - t
    await session.close()
    await redis.aclose()
    if outcomes.count("posted") != channels:
        raise SystemExit(f"posted {outcomes.count('posted')} of {channels}: {set(outcomes)}")
    return took


class _DemoDayClock:
    """The demo day's morning, running at real speed (so the post is for the demo date)."""

    def __init__(self, start: datetime) -> None:
        self.offset = start - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


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
    the channels posted to."""
    chans = [f"C{i}" for i in range(97)] + [f"CH{i:04d}" for i in range(channels)]
    body = {
        "tokens": [{"token": TOKEN, "team": "T1"}],
        "channels": [{"id": c, "team": "T1"} for c in chans],
        "users": [{"id": "U1", "team": "T1"}],
    }
    async with aiohttp.ClientSession() as http, http.post(f"{api}/_setup", json=body) as r:
        assert r.status == 200, r.status


async def measure(opts: argparse.Namespace, redis_url: str, procs: Procs) -> str:
    per_channel = publish(redis_url)
    api_port, app_port, floor_port = free_port(), free_port(), free_port()
    api = f"http://127.0.0.1:{api_port}"
    api_url = f"{api}/api/"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DIGEST_"))}
    env.update(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=api_url,
        REDIS_URL=redis_url,
        DIGEST_KEY_PREFIX=PREFIX,
        DIGEST_LANGUAGE="en",
        DIGEST_LOG_FORMAT="json",
    )
    await procs.spawn(
        "slack_api",
        ["-m", "tests.doubles.slack_api", "--port", str(api_port)],
        env,
        f"{api}/_stats",
    )
    await setup_workspace(api, opts.channels)
    await procs.spawn(
        "bot",
        ["-m", "bot.slack_bot", "--no-delivery", "--host", "127.0.0.1"],
        {**env, "SLACK_PORT": str(app_port)},
        f"http://127.0.0.1:{app_port}/healthz",
    )
    await procs.spawn(
        "floor",
        [__file__, "--serve-floor", str(floor_port)],
        env,
        f"http://127.0.0.1:{floor_port}/healthz",
    )
    ours: list[float] = []
    floor: list[float] = []
    targets = [(f"http://127.0.0.1:{app_port}", ours), (f"http://127.0.0.1:{floor_port}", floor)]
    for i in range(ROUNDS):  # in turn, so a busy moment of the machine hits both alike
        for url, out in targets if i % 2 == 0 else targets[::-1]:
            out += await load(url, opts.requests // ROUNDS, opts.concurrency)
    post_floor = (per_channel - 1) * 1.0
    post = await post_day(redis_url, api_url, opts.channels, limit=max(120, 20 * post_floor))
    async with aiohttp.ClientSession() as http, http.get(f"{api}/_stats") as r:
        stats = await r.json()
    p50, p99, f50 = pct(ours, 50), pct(ours, 99), pct(floor, 50)
    print(
        f"ours: mean={statistics.mean(ours):.1f}ms max={max(ours):.1f}ms; floor: "
        f"p99={pct(floor, 99):.1f}ms; post: {stats['messages']} messages, "
        f"{stats['rate_limited']} rate-limited (429), {stats['orphans']} orphaned uploads"
    )
    ratio = p50 / f50
    return (
        f"bench slack: p50={p50:.1f}ms p99={p99:.1f}ms floor_p50={f50:.1f}ms ratio={ratio:.2f} "
        f"post_{opts.channels}={post:.1f}s post_floor={post_floor:.1f}s"
    )


def serve_floor(port: int) -> None:
    """A bare Bolt app acking a constant: the same Bolt, server and settings as ours."""
    from slack_bolt.async_app import AsyncAck, AsyncApp

    from bot.slack_bot.client import make_client
    from bot.slack_bot.web import build_web, serve

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
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--channels", type=int, default=200)
    parser.add_argument("--serve-floor", type=int, default=0, help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.serve_floor:
        serve_floor(opts.serve_floor)
    else:
        print(asyncio.run(main(opts)), flush=True)
