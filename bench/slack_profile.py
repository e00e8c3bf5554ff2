"""Where one uncached `/aidigest` and one button press spend the Slack bot's CPU: the bench's
stack (bench/slack.py), each phase's requests sent twice as many distinct ones, first timed by
the bot process's CPU clock alone, then under cProfile, split by layer (bench/discord_profile.py).

    python bench/slack_profile.py [--n 80] [--concurrency 50] [--out DIR]

The bot runs as `python bench/slack_profile.py --serve-bot …`: `python -m bot.slack_bot` with
SIGUSR1 starting a phase (CPU clock read, profiler on if asked) and SIGUSR2 ending it (the CPU
seconds, and the profile, written to DIR). Every section asked for is asked for once in all, so
no in-process cache of answers or sections serves it.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import os
import pstats
import signal
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from redis import Redis  # noqa: E402

from bench.discord_profile import layer  # noqa: E402
from bench.slack import DAY, DAYS, PREFIX, SECRET, TOKEN, setup_workspace  # noqa: E402
from bench.slack_stack import BenchRedis, Procs, free_port  # noqa: E402


def serve_bot(out: Path, argv: list[str]) -> None:
    """The bot, with phases switched by SIGUSR1 (start) and SIGUSR2 (end)."""
    state: dict[str, object] = {}

    def start(*_: object) -> None:
        name = (out / "phase").read_text().strip()
        prof = cProfile.Profile() if name.endswith("-profiled") else None
        state.update(name=name, prof=prof, cpu=time.process_time())
        pauses.clear()
        if prof is not None:
            prof.enable()

    def end(*_: object) -> None:
        cpu = time.process_time() - float(state["cpu"])  # type: ignore[arg-type]
        prof = state.get("prof")
        if isinstance(prof, cProfile.Profile):
            prof.disable()
            prof.dump_stats(str(out / f"{state['name']}.prof"))
        full = [t for g, t in pauses if g == 2]
        (out / f"{state['name']}.gc").write_text(
            f"{len(pauses)} collections, {sum(t for _, t in pauses) * 1000:.1f} ms in all; "
            f"{len(full)} full, the longest {max(full, default=0) * 1000:.1f} ms"
        )
        (out / f"{state['name']}.cpu").write_text(str(cpu))

    pauses: list[tuple[int, float]] = []  # (generation, seconds) of each collection
    began = [0.0]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            began[0] = time.perf_counter()
        else:
            pauses.append((info["generation"], time.perf_counter() - began[0]))

    gc.callbacks.append(on_gc)
    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, end)
    from bot.slack_bot.__main__ import main as bot_main

    sys.argv = ["bot.slack_bot", *argv]
    bot_main()


CONNECTIONS: dict[str, int] = {}  # Redis connections opened in each phase


async def phase(out: Path, pid: int, name: str, run: object, redis_url: str) -> float:
    """Run the awaitable `run` as phase `name`; the bot's CPU seconds in it."""
    (out / "phase").write_text(name)
    opened = Redis.from_url(redis_url).info("stats")["total_connections_received"]
    os.kill(pid, signal.SIGUSR1)
    await asyncio.sleep(0.2)
    await run  # type: ignore[misc]
    await asyncio.sleep(0.5)  # the last response_url posts
    os.kill(pid, signal.SIGUSR2)
    now = Redis.from_url(redis_url).info("stats")["total_connections_received"]
    CONNECTIONS[name] = now - opened - 1  # not the one that asked
    for _ in range(100):
        if (out / f"{name}.cpu").exists():
            return float((out / f"{name}.cpu").read_text())
        await asyncio.sleep(0.05)
    raise SystemExit(f"bench: phase {name} wrote no CPU time")


async def main(opts: argparse.Namespace) -> None:
    from bench import slack_load as load

    out = Path(opts.out)
    out.mkdir(parents=True, exist_ok=True)
    for f in out.glob("*"):
        f.unlink()
    redis = BenchRedis()
    await redis.start()
    procs = Procs()
    try:
        _, pairs = load.publish_days(redis.url, PREFIX, DAY, DAYS)
        days = load.dates(DAY, DAYS)
        api_port, app_port = free_port(), free_port()
        api = f"http://127.0.0.1:{api_port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DIGEST_"))}
        env.update(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET,
                   SLACK_API_URL=f"{api}/api/", REDIS_URL=redis.url, DIGEST_KEY_PREFIX=PREFIX,
                   DIGEST_LANGUAGE="en", DIGEST_LOG_FORMAT="json")  # fmt: skip
        stand_in = ["-m", "tests.doubles.slack_api", "--port", str(api_port)]
        await procs.spawn("slack_api", stand_in, env, f"{api}/_stats")
        await setup_workspace(api, 97)
        bot = f"http://127.0.0.1:{app_port}"
        args = [__file__, "--serve-bot", str(out), "--no-delivery", "--host", "127.0.0.1"]
        bot_env = {**env, "SLACK_PORT": str(app_port)}
        proc = await procs.spawn("bot", args, bot_env, f"{bot}/healthz")
        n, c = opts.n, opts.concurrency
        sections = [f"{pair} {day}" for day in days for pair in pairs]  # each asked once
        warm, texts, pressed = sections[:20], sections[20 : 20 + 2 * n], sections[20 + 2 * n :]
        if len(pressed) < 2 * n:
            raise SystemExit(f"bench: {len(sections)} sections are too few for --n {n}")
        async with load.client(c) as http:
            await load.latencies(http, bot, load.commands(warm), c, SECRET)
            same = load.commands([warm[0]] * n)  # the answer cache serves these: the floor
            cpu = await phase(
                out, proc.pid, "cached", load.latencies(http, bot, same, c, SECRET), redis.url
            )
            report = [f"cached: {cpu / n * 1000:.2f} ms CPU a command (Bolt, aiohttp, a hit)"]
            for i, suffix in enumerate(("", "-profiled")):
                cmds = load.commands(texts[i * n : (i + 1) * n])
                asked = load.latencies(http, bot, cmds, c, SECRET)
                cpu = await phase(out, proc.pid, "uncached" + suffix, asked, redis.url)
                report.append(f"uncached{suffix}: {cpu / n * 1000:.2f} ms CPU a command")
                chosen = pressed[i * n : (i + 1) * n]
                urls = await load.response_urls(api, n)
                bodies = presses(load, chosen, urls)
                sent: list[float] = []
                cpu = await phase(out, proc.pid, "actions" + suffix,
                                  load.latencies(http, bot, bodies, c, SECRET, sent),
                                  redis.url)  # fmt: skip
                waited = await load.arrivals(api, urls, sent)
                report.append(f"actions{suffix}: {cpu / n * 1000:.2f} ms CPU a press; "
                              + load.summary("waited", waited))  # fmt: skip
    finally:
        await procs.stop()
        await redis.stop()
    for line in report:
        print(line)
    for name in ("cached", "uncached", "actions"):
        print(f"gc in {name}: {(out / f'{name}.gc').read_text()}")
    print("Redis connections opened by the bot:", CONNECTIONS)
    for name in ("uncached-profiled", "actions-profiled"):
        parts = split(out / f"{name}.prof")
        busy = sum(v for k, v in parts.items() if not k.startswith("idle"))
        calls = pstats.Stats(str(out / f"{name}.prof")).total_calls  # type: ignore[attr-defined]
        print(f"{name}: {busy / n * 1000:.2f} ms a request under cProfile, {calls / n:.0f} calls")
        for k, v in sorted(parts.items(), key=lambda kv: -kv[1]):
            if not k.startswith("idle"):
                print(f"  {k:<40} {v / n * 1000:6.2f} ms  {v / busy:5.1%}")


def split(prof: Path) -> dict[str, float]:
    """Seconds of own time per layer, Bolt and the Slack SDK named."""
    out: dict[str, float] = defaultdict(float)
    for (path, _line, name), row in pstats.Stats(str(prof)).stats.items():  # type: ignore[attr-defined]
        if "site-packages/slack_bolt/" in path:
            out["slack_bolt"] += row[2]
        elif "site-packages/slack_sdk/" in path:
            out["slack_sdk"] += row[2]
        else:
            out[layer(path, name)] += row[2]
    return dict(out)


def presses(load: object, sections: list[str], urls: list[str]) -> list[tuple[str, str]]:
    """A press per section ("kind category day"), each with its own response_url."""
    out = []
    for text, url in zip(sections, urls, strict=True):
        kind, cat, day = text.split(" ")
        out += load.presses([f"{kind} {cat}"], [day], 1, [url])  # type: ignore[attr-defined]
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=80)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--out", default="/tmp/slack-profile")
    parser.add_argument("--serve-bot", default="", help=argparse.SUPPRESS)
    opts, rest = parser.parse_known_args()
    if opts.serve_bot:
        serve_bot(Path(opts.serve_bot), rest)
    else:
        asyncio.run(main(opts))
