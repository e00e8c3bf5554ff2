"""Benchmark: `aidigest build` with hostile sources among the good ones (issue 14).

Two builds of the same day, each `aidigest build` in a process of its own (its peak RSS read
from the kernel), offline (no LLM), against the source stand-in on 127.0.0.2:
  clean     arXiv, HF Daily Papers, three saved feeds, HN (with its linked pages)
  hostile   the same, plus: a feed that drips a byte every 2 s (default 30 s deadline), a gzip
            bomb (1 MB inflating to 1 GB), a 100,000-entry Atom feed (7.5 MB, max_items 50),
            redirects to 127.0.0.1 (an "internal service" stand-in listens there), to a private
            address and to the cloud metadata address, and a feed of injection titles (HTML,
            Markdown, Slack and Discord mentions, a link with a newline).
Sources may reach 127.0.0.2 only (allow_private = ["127.0.0.2/32"]). The build processes run
with a guard that refuses any connection off loopback, so a bug could not send anything to a
private range; the guard's refusals are reported (guard_leaks, which must be 0).

Injections are counted (bench/injections.py) in the hostile build's report.md rendered by
GitHub's cmark-gfm, in the Slack blocks and in the Discord embeds made by the bots' own
rendering functions from the built digest. Goals: build_s <= 45, peak RSS <= 2x the clean
build's, injections_rendered=0. Last line:
  bench hostile: sources=N build_s=S peak_rss_mb=M timed_out=K ssrf_blocked=B injections_rendered=I

Run: python bench/hostile.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Run as a script from anywhere: the repository first, and not bench/ (its discord.py would
# stand in for the discord package).
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]

DAY = date(2024, 10, 5)  # arXiv's saved 2024-10-03, HF's 2024-10-04; news shifted into it
ZONE, BUILD_TIME = "Asia/Seoul", "07:00"
STAND_IN = "127.0.0.2"
GUARD = "bench guard: refused a connection to"
BUILD_WAIT = 300.0  # seconds before a build is declared hung and killed

CLEAN = [  # name, type, kind, path on the stand-in, extra TOML
    ("arxiv", "arxiv", "papers", "/arxiv/api/query", 'categories = ["cs.AI"]\npage_size = 200'),
    ("hf-daily-papers", "hf_daily", "papers", "/hf/api/daily_papers", ""),
    ("openai-news", "feed", "news", "/feeds/openai_news_rss_2025-07-28.xml", "max_items = 20"),
    ("google-ai-blog", "feed", "news", "/feeds/google_ai_blog_rss_2025-07-24.xml", ""),
    ("geeknews", "feed", "news", "/feeds/geeknews_ko_atom_2026-09-29.xml", 'lang = "ko"'),
    ("hackernews", "hn", "news", "/hn/api/v1/search_by_date", 'query = "AI OR LLM OR model"'),
]
HOSTILE = [  # name, path, fault ({internal} is the internal service's URL)
    ("drip", "/feeds/hostile-drip.xml", "drip:2"),
    ("gzip-bomb", "/feeds/hostile-bomb.xml", "gzip-bomb"),
    ("atom-100k", "/feeds/hostile-atom.xml", "huge-atom"),
    (
        "to-loopback",
        "/feeds/hostile-loop.xml",
        "redirect:{internal}/feeds/openai_news_rss_2025-07-28.xml",
    ),
    ("to-private", "/feeds/hostile-private.xml", "redirect:http://10.255.0.1/feed.xml"),
    ("to-metadata", "/feeds/hostile-meta.xml", "redirect:http://169.254.169.254/latest/meta-data/"),
    ("injection", "/feeds/hostile-titles.xml", "hostile-titles"),
]


def sources_toml(base: str, hostile: bool) -> str:
    allow = f'allow_private = ["{STAND_IN}/32"]'
    rows = [(n, t, k, p, x) for n, t, k, p, x in CLEAN]
    if hostile:
        rows += [(n, "feed", "news", p, "max_items = 50") for n, p, _ in HOSTILE]
    return "\n".join(
        f'[[source]]\nname = "{n}"\ntype = "{t}"\nkind = "{k}"\nurl = "{base}{p}"\n{allow}\n{x}\n'
        for n, t, k, p, x in rows
    )


def child(args: list[str]) -> int:
    """`aidigest` in this process, with connections off loopback refused (and reported)."""
    import ipaddress

    real = socket.create_connection

    def guarded(address: tuple[str, int], *a: Any, **kw: Any) -> socket.socket:
        try:
            loopback = ipaddress.ip_address(address[0]).is_loopback
        except ValueError:
            loopback = address[0] == "localhost"
        if not loopback:
            print(f"{GUARD} {address[0]}", file=sys.stderr, flush=True)
            raise OSError(f"bench guard: {address[0]} is off loopback")
        return real(address, *a, **kw)

    socket.create_connection = guarded  # type: ignore[assignment]
    from cli.main import main

    return main(args)


def run_build(config: Path, out: Path) -> tuple[float, float, str, int]:
    """(seconds, peak RSS in MB, stderr, exit code) of one `aidigest build` process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "REDIS_"))}
    env |= {"DIGEST_TIMEZONE": ZONE, "DIGEST_BUILD_TIME": BUILD_TIME, "PYTHONPATH": str(ROOT)}
    env |= {"DIGEST_LANGUAGE": "en", "DIGEST_LANGUAGES": "en"}
    args = ["--child", "build", "--date", DAY.isoformat(), "--config", str(config)]
    t0 = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, __file__, *args, "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    err: list[str] = []
    reader = threading.Thread(target=lambda: err.append(proc.stderr.read() if proc.stderr else ""))
    reader.start()
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - t0 > BUILD_WAIT:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.05)
    seconds = time.monotonic() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join(timeout=10)
    return seconds, usage.ru_maxrss / 1024, "".join(err), proc.returncode


def count_injections(out: Path) -> tuple[int, list[str]]:
    from bench import injections
    from bot.discord_bot.embeds import header_content, overview_embeds, section_embeds
    from bot.slack_bot.blocks import section_blocks
    from bot.slack_bot.overview import day_overview, post_header
    from bot.slack_bot.web_links import WebLinks
    from core import escape
    from core.store import files
    from tests.doubles.hostile_bodies import HOSTILE_TITLES

    digest = files.read_digest(out, DAY.isoformat(), "en")
    if digest is None:
        return 1, ["no digest was built"]
    refs = [r for s in digest.sections for r in s.sources]
    urls = {r.url for r in refs}
    hostile = {r.title for r in refs if r.source == "injection"}
    hostile |= {escape.one_line(t) for t in HOSTILE_TITLES}
    report = (out / DAY.isoformat() / "report.md").read_text("utf-8")
    found = injections.report(report, urls, hostile)
    links = WebLinks("https://digest.example", "en")
    blocks = [*post_header(digest, links, uploads=True), *day_overview(digest, links)]
    blocks += [b for s in digest.sections for b in section_blocks(s)]
    found += injections.slack(blocks, urls, own=links.base + "/")
    embeds, _ = overview_embeds(digest, list(digest.kinds), {})
    embeds += [e for s in digest.sections for e in section_embeds(s)]
    texts = [header_content(digest), *injections.embed_texts(e.to_dict() for e in embeds)]
    found += injections.discord(texts, urls, hostile)
    shown = sum(1 for r in refs if r.source == "injection")
    print(f"hostile titles shown in sections: {shown}; injections: {injections.dump(found)}")
    return len(found), found


def grammar_worst(runs: int = 5) -> tuple[float, int, str]:
    """The slowest of many hostile commands (near-miss zones and categories, mentions, dates,
    junk), each parsed `runs` times: (median ms of the worst, commands, the command)."""
    import random
    import statistics
    from datetime import date as day_type

    from core.query import parse
    from core.taxonomy import load_taxonomy

    taxonomy, today, rng = load_taxonomy(), day_type(2024, 10, 4), random.Random(14)
    words = ["llm", "cv", "x/y", "Asia/Seoulx", "America/New_Yrok", "Europe/Lodnon", "papers",
             "news", "2024-10-04", "at", "25:00", "8:30", "utc+9", "UTC+99", "kst", "seoul",
             "langauge", "computervisoin", "<@U1>", "@everyone", "subscribe", "unsubscribe",
             "ko", "en", "reinforcment", "-3", "yesterday", "Others", "a" * 40]  # fmt: skip
    commands = [
        "subscribe " + " ".join(["America/New_Yrok"] * 29),
        "subscribe " + " ".join(f"Asia/Seoulx{i}" for i in range(38)),
        "subscribe papers " + " ".join(f"langauge{i}" for i in range(45)),
        *(" ".join(rng.choice(words) for _ in range(rng.randint(1, 60))) for _ in range(500)),
    ]
    worst = (0.0, "")
    for text in commands:
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            parse(text[:500], taxonomy, today)
            times.append(time.perf_counter() - t0)
        worst = max(worst, (statistics.median(times) * 1000, text))
    return worst[0], len(commands), worst[1]


def main() -> int:
    from core.store import files
    from core.windows import news_window
    from tests.doubles import hostile_bodies
    from tests.doubles.source_server import SourceServer

    worst_ms, commands, slowest = grammar_worst()
    print(f"grammar: worst {worst_ms:.2f} ms (median of 5) over {commands} hostile commands: "
          f"{slowest[:80]!r}")  # fmt: skip
    hostile_bodies.gzip_bomb(), hostile_bodies.huge_atom()  # built before anything is timed
    news_at = news_window(DAY, ZONE, BUILD_TIME)[1] - timedelta(hours=1)
    with (
        SourceServer(host=STAND_IN) as server,
        SourceServer(host="127.0.0.1") as internal,
        tempfile.TemporaryDirectory() as tmp,
    ):
        server.set_clock(news_at)
        server.set_fault("/hn/", "pages")  # HN stories link to pages on the stand-in
        for _, path, fault in HOSTILE:
            server.set_fault(path, fault.format(internal=internal.url))
        base = Path(tmp)
        figures = {}
        for name, hostile in (("clean", False), ("hostile", True)):
            config = base / f"{name}.toml"
            config.write_text(sources_toml(server.url, hostile), "utf-8")
            seconds, rss, err, code = run_build(config, base / name)
            print(f"{name}: exit {code}, {seconds:.1f} s, peak RSS {rss:.0f} MB")
            print("\n".join("  " + line for line in err.splitlines() if "✓" in line or "✗" in line))
            figures[name] = (seconds, rss, err, code)
        seconds, rss, err, code = figures["hostile"]
        digest = files.read_digest(base / "hostile", DAY.isoformat(), "en")
        statuses = digest.build.sources if digest else []
        timed_out = sum(1 for s in statuses if not s.ok and "deadline" in s.error)
        blocked = sum(1 for s in statuses if not s.ok and "refused to connect" in s.error)
        leaks = err.count(GUARD)
        injected, _ = count_injections(base / "hostile")
        clean_rss = figures["clean"][1]
        print(
            f"clean build: {figures['clean'][0]:.1f} s, {clean_rss:.0f} MB; hostile/clean RSS "
            f"{rss / clean_rss:.2f}x; internal service requests: {sum(internal.counts().values())}"
            f"; guard_leaks={leaks}; hostile build exit code {code}"
        )
    print(
        f"bench hostile: sources={len(statuses)} build_s={seconds:.1f} peak_rss_mb={rss:.0f} "
        f"timed_out={timed_out} ssrf_blocked={blocked} injections_rendered={injected}"
    )
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        sys.exit(child(sys.argv[2:]))
    sys.exit(main())
