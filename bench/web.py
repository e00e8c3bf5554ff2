"""The web archive under load: a year of days in Redis, search and day pages at 50 clients.

    python bench/web.py [--days 365] [--clients 50] [--seconds 10]

Starts its own redis-server on a free port (nothing else is touched), generates `days` days of
realistic size from the bundled real items (300 items and 18 sections per language a day: the
sample day's, re-dated, with other bundled items added), publishes each through core.store and
indexes it through core.search (timing the index of each day: the items the day keeps, cited
by its sections, and every summary), then starts the site (`aidigest web`: one process as
deployed by default (WEB_WORKERS), unless --workers) on that Redis and drives it from this
process: `clients` keep-alive connections, each sending its next request as soon as the last
is answered, for `seconds` per scenario.

- search: a different query every time (two words drawn from the items' titles, English or
  Korean), so neither the answer cache nor the page cache ever helps; page 1 or 2.
- page: a day page, any of the year's days in either language, served as deployed: each page
  rendered once and kept until a day is published (follow_ready, core/store/async_reader.py);
  every page is visited once before measuring. The figure with every request rendered is
  printed before it.

Last line: `bench web: days=D items=N index_build_s=S search_p50=…ms search_p99=…ms
page_p99=…ms workers=W` (S = the median time to index one day). Goals: p99s <= 50 ms, S <= 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

from redis import Redis

from core import demo
from core.engine import Engine
from core.items import Item
from core.pipeline import BuiltDay, merge_and_classify
from core.search import SearchWriter
from core.search.documents import documents
from core.store.keys import Keys
from core.store.writer import save_day
from core.taxonomy import Taxonomy, load_taxonomy
from tests.days import redate
from tests.procs import RedisServer, free_port

ITEMS_A_DAY = 300
WORD = re.compile(r"[A-Za-z]{5,}|[\uac00-\ud7a3]{2,}")


def item_pool(taxonomy: Taxonomy) -> tuple[list[Item], dict[str, str]]:
    """Every bundled real item (the four saved days of papers and the saved news), classified."""
    items: list[Item] = []
    labels: dict[str, str] = {}
    for back in (3, 2, 1, 0):
        day = demo.DEMO_DATE - timedelta(days=back)
        results = demo.demo_results(day)
        got, labs = merge_and_classify(results, taxonomy, Engine(), demo.demo_now(day))
        items += [i for i in got if i.id not in labels]
        labels.update(labs)
    return items, labels


def make_day(base: BuiltDay, pool: list[Item], labels: dict[str, str], when: str) -> BuiltDay:
    rng = random.Random(when)
    day = redate(base, date.fromisoformat(when))
    cited = {r.item_id for d in base.digests.values() for s in d.sections for r in s.sources}
    kept = [i for i in base.items if i.id in cited]
    others = [i for i in pool if i.id not in cited]
    day.items = kept + rng.sample(others, max(0, min(ITEMS_A_DAY - len(kept), len(others))))
    day.labels = labels
    return day


def fill(url: str, days: int) -> tuple[list[str], int, list[float], list[str]]:
    """Publish and index `days` days ending yesterday; returns dates, items, index seconds,
    and words to search for."""
    taxonomy = load_taxonomy(None)
    base = demo.build_demo_day(["ko", "en"], taxonomy=taxonomy)
    pool, labels = item_pool(taxonomy)
    labels = {**labels, **base.labels}
    redis = Redis.from_url(url)
    keys = Keys()
    writer = SearchWriter(redis, keys)
    start = date.today() - timedelta(days=days)
    dates, seconds, items, indexed = [], [], 0, 0
    for n in range(days):
        when = (start + timedelta(days=n)).isoformat()
        built = make_day(base, pool, labels, when)
        save_day(redis, keys, built, retention_days=365)
        t0 = time.perf_counter()
        docs = documents(built.items, built.labels, built.digests.values(), built.rows)
        writer.index_day(when, docs)
        seconds.append(time.perf_counter() - t0)
        dates.append(when)
        items += len(built.items)
        indexed += len(docs)
        if n % 50 == 0:
            print(f"  {n + 1}/{days} days, last index {seconds[-1]:.3f}s", flush=True)
    t0 = time.perf_counter()
    again = make_day(base, pool, labels, dates[-1])
    again.items = again.items[::-1][:250]
    writer.index_built(again)
    print(f"re-index of a published day (replace): {time.perf_counter() - t0:.3f}s")
    used = redis.info("memory")["used_memory"] / 2**20
    print(f"redis: {redis.dbsize()} keys, {used:.0f} MiB; {indexed} search documents")
    words = sorted({w for i in pool for w in WORD.findall(i.title)})
    redis.close()
    return dates, items, seconds, words


SERVE = """
import sys
from redis.asyncio import Redis as AsyncRedis
from core.search import SearchReader
from core.store.async_reader import AsyncDayReader
from core.store.keys import Keys
from web import Site
from web.site import DATES_TTL
from web.serve import run

url, port, ttl, workers = sys.argv[1:]

async def make():
    client, keys = AsyncRedis.from_url(url, max_connections=64), Keys()
    search = SearchReader(client, keys, keep_warm=True)
    await search.warm()  # as cli/web.py
    return Site(days=AsyncDayReader(client, keys, dates_ttl=DATES_TTL),
                search=search,
                page_ttl=float(ttl), events=(client, keys) if float(ttl) else None)

run(make, "127.0.0.1", int(port), int(workers))
"""


def start_site(url: str, ttl: float, workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE, url, str(port), str(ttl), str(workers)],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    for _ in range(300):  # bounded: 30 s
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc, port
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the site did not start")


async def drive(port: int, feed: Iterator[str], clients: int, seconds: float) -> list[float]:
    """Closed loop: each client sends its next request (the next of `feed`) when the last is
    answered."""
    latencies: list[float] = []
    stop = time.perf_counter() + seconds

    async def client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < stop:
                path = next(feed)
                t0 = time.perf_counter()
                writer.write(REQUEST.format(path=path).encode())
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
                found = re.search(rb"(?i)content-length: *(\d+)", head)
                length = int(found.group(1)) if found else 0
                await asyncio.wait_for(reader.readexactly(length), 30)
                latencies.append(time.perf_counter() - t0)
                if not head.startswith(b"HTTP/1.1 200"):
                    raise RuntimeError(f"{path}: {head[:40]!r}")
        finally:
            writer.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies


REQUEST = "GET {path} HTTP/1.1\r\nHost: bench\r\nAccept-Encoding: gzip, deflate, br\r\n\r\n"


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def visit(port: int, paths: list[str], clients: int) -> None:
    """Request each of `paths` once, `clients` at a time."""
    queue = iter(paths)

    async def client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for path in queue:
                writer.write(REQUEST.format(path=path).encode())
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 60)
                found = re.search(rb"(?i)content-length: *(\d+)", head)
                await asyncio.wait_for(reader.readexactly(int(found.group(1)) if found else 0), 60)
        finally:
            writer.close()

    await asyncio.gather(*(client() for _ in range(clients)))


def run(
    port: int, paths: list[str], clients: int, seconds: float, name: str, warm: list[str]
) -> list[float]:
    asyncio.run(visit(port, warm, clients))
    feed = iter(paths)  # the requests measured follow the warm-up's, never repeat them
    asyncio.run(drive(port, feed, clients, 2.0))  # warm up connections
    got = asyncio.run(drive(port, feed, clients, seconds))
    print(f"{name}: {len(got)} requests, {len(got) / seconds:.0f}/s, "
          f"p50={pct(got, 0.5):.1f}ms p99={pct(got, 0.99):.1f}ms")  # fmt: skip
    return got


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="site processes, each with its own caches (default: 1, as deployed by default)",
    )
    args = p.parse_args()
    tmp = tempfile.TemporaryDirectory()
    server = RedisServer(Path(tmp.name), persistent=False)
    server.start()
    url = server.url
    sites: list[subprocess.Popen[bytes]] = []
    try:
        print(f"filling {args.days} days…", flush=True)
        dates, items, seconds, words = fill(url, args.days)
        rng = random.Random(7)
        searches = [f"/search?q={quote(' '.join(rng.sample(words, 2)))}&page={rng.choice((1, 2))}"
                    for _ in range(400_000)]  # fmt: skip
        pages = [f"/{rng.choice(dates)}?lang={rng.choice(('ko', 'en'))}" for _ in range(400_000)]
        cold, port = start_site(url, 0.0, args.workers)
        sites.append(cold)
        search = run(port, searches, args.clients, args.seconds, "search (every query new)", [])
        run(port, pages, args.clients, args.seconds, "day page, rendered every time", [])
        warm, port = start_site(url, 3600.0, args.workers)
        sites.append(warm)
        every = [f"/{d}?lang={lang}" for d in dates for lang in ("ko", "en")]
        page = run(port, pages, args.clients, args.seconds, "day page, cache warm", every)
    finally:
        for proc in sites:
            proc.terminate()  # the site's parent stops its workers
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        server.stop()
        tmp.cleanup()
    build = statistics.median(seconds)
    print(f"index per day: median {build:.3f}s, max {max(seconds):.3f}s")
    print(f"bench web: days={len(dates)} items={items} index_build_s={build:.3f} "
          f"search_p50={pct(search, 0.5):.1f}ms search_p99={pct(search, 0.99):.1f}ms "
          f"page_p99={pct(page, 0.99):.1f}ms workers={args.workers}")  # fmt: skip


if __name__ == "__main__":
    main()
