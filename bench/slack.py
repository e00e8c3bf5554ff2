"""Slack benchmark: slash-command latency against a bare Bolt app, and the daily post to 200
channels at Slack's one message per second per channel.

    python bench/slack.py [--requests 2000] [--concurrency 50] [--channels 200]

1. 2,000 signed `/aidigest papers LLM <date>` over HTTP, 50 at a time, to `python -m
   bot.slack_bot` (HTTP mode, a built demo day in Redis), then the same to a bare Bolt app that
   acks a constant (the floor: same Bolt, same server, same Web API stand-in).
2. The day's post to 200 subscribed channels through the stand-in, which answers 429 to a
   second message within a second in a channel. post_floor is that limit's minimum: a channel's
   messages one second apart.

Uses Redis database 9 (flushed). Last line:
bench slack: p50=..ms p99=..ms floor_p50=..ms ratio=R post_200=..s post_floor=..s
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
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

REDIS_URL = "redis://127.0.0.1:6379/9"  # the bench's own database (flushed)
PREFIX = "aidigest"
SECRET = "bench-signing-secret"
TOKEN = "xoxb-T1-bench"
DAY = "2024-10-04"
ROUNDS = 4  # the requests are sent in rounds, ours and the floor's in turn


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def spawn(args: list[str], env: dict[str, str], ready: str) -> asyncio.subprocess.Process:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    async with aiohttp.ClientSession() as http:
        for _ in range(300):
            try:
                async with http.get(ready) as r:
                    if r.status < 500:
                        return proc
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    proc.kill()
    raise SystemExit(f"{args} did not start")


def publish() -> int:
    """The demo day in Redis; returns the messages a channel gets (header + sections)."""
    from core.demo import build_demo_day
    from core.store.keys import Keys
    from core.store.writer import save_day

    built = build_demo_day(["en"])
    r = SyncRedis.from_url(REDIS_URL)
    r.flushdb()
    save_day(r, Keys(PREFIX), built, retention_days=365)
    return 1 + len(built.digests["en"].sections)


async def load(url: str, n: int, concurrency: int) -> list[float]:
    """Latencies (ms) of n signed slash commands, `concurrency` in flight."""
    from tests.doubles.slack_requests import command_body, signed_headers

    bodies = [command_body(f"papers LLM {DAY}", channel=f"C{i % 97}") for i in range(n)]
    out: list[float] = []
    todo = iter(bodies)
    conn = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=conn) as http:

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


async def post_day(api_url: str, channels: int) -> float:
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

    redis = connect(REDIS_URL)
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
    outcomes = await delivery.tick()
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
    per_channel = publish()
    api_port, app_port, floor_port = free_port(), free_port(), free_port()
    api_url = f"http://127.0.0.1:{api_port}/api/"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DIGEST_"))}
    env.update(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=api_url,
        REDIS_URL=REDIS_URL,
        DIGEST_KEY_PREFIX=PREFIX,
        DIGEST_LANGUAGE="en",
        DIGEST_LOG_FORMAT="json",
    )
    procs = [
        await spawn(
            ["-m", "tests.doubles.slack_api", "--port", str(api_port)],
            env,
            f"http://127.0.0.1:{api_port}/_stats",
        )
    ]
    try:
        procs.append(
            await spawn(
                ["-m", "bot.slack_bot", "--no-delivery", "--host", "127.0.0.1"],
                {**env, "SLACK_PORT": str(app_port)},
                f"http://127.0.0.1:{app_port}/healthz",
            )
        )
        procs.append(
            await spawn(
                [__file__, "--serve-floor", str(floor_port)],
                env,
                f"http://127.0.0.1:{floor_port}/healthz",
            )
        )
        ours: list[float] = []
        floor: list[float] = []
        targets = [
            (f"http://127.0.0.1:{app_port}", ours),
            (f"http://127.0.0.1:{floor_port}", floor),
        ]
        for i in range(ROUNDS):  # in turn, so a busy moment of the machine hits both alike
            for url, out in targets if i % 2 == 0 else targets[::-1]:
                out += await load(url, opts.requests // ROUNDS, opts.concurrency)
        post = await post_day(api_url, opts.channels)
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{api_port}/_stats") as r,
        ):
            stats = await r.json()
    finally:
        for p in procs:
            p.terminate()
            await p.wait()
        SyncRedis.from_url(REDIS_URL).flushdb()
    p50, p99, f50 = pct(ours, 50), pct(ours, 99), pct(floor, 50)
    post_floor = (per_channel - 1) * 1.0
    print(
        f"ours: mean={statistics.mean(ours):.1f}ms max={max(ours):.1f}ms; floor: "
        f"p99={pct(floor, 99):.1f}ms; post: {stats['messages']} messages, "
        f"{stats['rate_limited']} rate-limited (429)"
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

        redis = Redis.from_url(REDIS_URL)
        await serve(build_web(app, redis, http_mode=True), "127.0.0.1", port)
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
