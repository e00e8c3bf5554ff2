"""Benchmark: a day's build with the LLM engine against the stand-in (1 s per call), parallel
versus the seed's method on the same items, and a rebuild from the cache.

Days: the bundled sample day, and a large day (the four bundled arXiv + HF days merged, plus
every saved feed in full). The seed's method is one classification call per kind (all its
items), then one summary call per section, one at a time; it runs the same prompts through the
same client, uncached, with concurrency 1. Walls are build_day's whole time (merge, classify,
plan, summarise, charts), after one offline warm-up build so matplotlib's start-up is not timed.

The last line is the sample day, the line above it the large day:
  bench build: items=N sections=S llm_calls=C tokens=T wall=Xs sequential=Ys speedup=Zx
  floor_ratio=F rebuild_llm_calls=R        (floor_ratio = wall / (2 × latency))

Run: python bench/build.py [--latency 1.0] [--concurrency 64] [--langs ko]
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources
from pathlib import Path

import httpx
from pydantic import SecretStr

from core import demo
from core.digest import SourceStatus
from core.engine import Engine
from core.llm.cache import DiskCache, NoCache
from core.llm.chat import LLM
from core.llm.classifier import LLMClassifier
from core.llm.factory import LLMEngine, llm_engine
from core.llm.summariser import LLMSummariser
from core.pipeline import SourceResult, build_day
from core.settings import OpenAISettings, Settings
from core.sources import parse_saved
from core.sources.spec import SourceSpec
from core.taxonomy import Taxonomy, load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
FEEDS = [  # every saved feed, its whole list (the sample day keeps 20-50 of each)
    ("openai-news", "openai_news_rss_2025-07-28.xml", "en"),
    ("google-ai-blog", "google_ai_blog_rss_2025-07-24.xml", "en"),
    ("geeknews", "geeknews_ko_atom_2026-09-29.xml", "ko"),
    ("hackernews", "hackernews_frontpage_rss_2026-03-22.xml", "en"),
]


@dataclass
class Run:
    items: int
    sections: int
    calls: int
    tokens: int
    wall: float
    fallbacks: int


def _read(name: str) -> bytes:
    return resources.files("core.data").joinpath("demo", name).read_bytes()


def large_day() -> list[SourceResult]:
    out: list[SourceResult] = []
    for back in range(4):
        d = (demo.DEMO_DATE - timedelta(days=back)).isoformat()
        out += [
            _result(
                SourceSpec(name="arxiv", type="arxiv", kind="papers", url="saved:", max_items=5000),
                f"arxiv_cs.AI_{d}.jsonl",
            ),
            _result(
                SourceSpec(
                    name="hf-daily-papers",
                    type="hf_daily",
                    kind="papers",
                    url="saved:",
                    max_items=5000,
                ),
                f"hf_daily_papers_{d}.json",
            ),
        ]
    for name, path, lang in FEEDS:
        spec = SourceSpec(
            name=name, type="feed", kind="news", url="saved:", lang=lang, max_items=5000
        )
        out.append(_result(spec, path))
    return out


def _result(spec: SourceSpec, path: str) -> SourceResult:
    items = parse_saved(spec, _read(path))
    return SourceResult(
        SourceStatus(name=spec.name, kind=spec.kind, ok=True, items=len(items)), items
    )


def build(engine: Engine, results: list[SourceResult], tax: Taxonomy, langs: list[str]) -> Run:
    t0 = time.monotonic()
    built = build_day(
        demo.DEMO_DATE, results, tax, langs=langs, section_cap=8, now=demo.demo_now(), engine=engine
    )
    wall = time.monotonic() - t0
    sections = [s for d in built.digests.values() for s in d.sections]
    calls, tokens = engine.usage()
    fallbacks = sum(s.mode != "llm" for s in sections)
    return Run(len(built.items), len(sections), calls, tokens, wall, fallbacks)


def seed_engine(settings: Settings) -> Engine:
    """The seed's method: one classification call per kind, then summaries one at a time."""
    llm = LLM.from_settings(settings.openai, NoCache(), concurrency=1)
    return LLMEngine(
        classify=LLMClassifier(llm, batch_size=100_000, rounds=1),
        summarise=LLMSummariser(llm),
        name=llm.model,
        llm=llm,
    )


def bench_day(
    label: str,
    results: list[SourceResult],
    settings: Settings,
    cache: Path,
    langs: list[str],
    latency: float,
) -> tuple[str, str]:
    tax = load_taxonomy()
    fast = build(llm_engine(settings, cache=DiskCache(cache)), results, tax, langs)
    again = build(llm_engine(settings, cache=DiskCache(cache)), results, tax, langs)
    _say(
        f"{label}: parallel {fast.wall:.2f} s, {fast.calls} calls, {fast.fallbacks} fallbacks; "
        f"rebuild {again.wall:.2f} s, {again.calls} calls; now the seed's method…"
    )
    seq = build(seed_engine(settings), results, tax, langs)
    _say(f"{label}: sequential {seq.wall:.2f} s, {seq.calls} calls, {seq.fallbacks} fallbacks")
    per_item = (
        f"bench tokens/item {label}: parallel={fast.tokens / fast.items:.0f} "
        f"sequential={seq.tokens / seq.items:.0f}"
    )
    line = (
        f"items={fast.items} sections={fast.sections} llm_calls={fast.calls} "
        f"tokens={fast.tokens} wall={fast.wall:.2f}s sequential={seq.wall:.2f}s "
        f"speedup={seq.wall / fast.wall:.1f}x floor_ratio={fast.wall / (2 * latency):.2f} "
        f"rebuild_llm_calls={again.calls}"
    )
    return per_item, line


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str) -> None:
    for _ in range(100):
        try:
            httpx.get(url + "/_stats", timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit(f"the LLM stand-in did not start at {url}")


def main() -> int:
    parser = argparse.ArgumentParser(description="Build the sample day and a large day, timed.")
    parser.add_argument("--latency", type=float, default=1.0, help="stand-in seconds per call")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--langs", default="ko", help="comma list, e.g. ko,en")
    args = parser.parse_args()
    langs = [x.strip() for x in args.langs.split(",") if x.strip()]
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.doubles.llm_server",
            "--port",
            str(port),
            "--latency",
            str(args.latency),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait(f"http://127.0.0.1:{port}")
        settings = Settings()
        settings.openai = OpenAISettings(
            base_url=f"http://127.0.0.1:{port}/v1",
            api_key=SecretStr("bench"),
            model="stand-in",
            timeout=60.0,
            max_retries=2,
            concurrency=args.concurrency,
        )
        tax = load_taxonomy()
        build(Engine(), demo.demo_results(), tax, langs)  # warm-up: fonts, imports
        with tempfile.TemporaryDirectory() as tmp:
            large = bench_day(
                "large", large_day(), settings, Path(tmp, "large"), langs, args.latency
            )
            sample = bench_day(
                "sample", demo.demo_results(), settings, Path(tmp, "sample"), langs, args.latency
            )
        print(large[0])
        print(sample[0])
        print(f"bench build large: {large[1]}")
        print(f"bench build: {sample[1]}")
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
