"""Section reads through the sync reader (core/store/sync_reader.py) against raw GETs of the
same keys, in the same run.

    python bench/store.py [--url redis://host:port/db] [-n 10000]

Runs on a redis-server of its own (started on a free port, nothing on disk) unless given --url.
Publishes the bundled sample day (offline) under its own key prefix, reads every section in turn
`n` times each way (interleaved, so both see the same server and machine state), deletes its keys,
and prints the latency percentiles. Last line: `bench store: p50=..ms p99=..ms raw_p50=..ms
ratio=R` (R = store p50 / raw p50; the goal is <= 1.5).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from redis import Redis

from core import demo
from core.store.keys import Keys
from core.store.sync_reader import DayReader
from core.store.writer import save_day
from tests.procs import RedisServer

PREFIX = "aidigest-bench"


def pct(samples: list[int], q: float) -> float:
    """The q-quantile in milliseconds."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] / 1e6


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--url", help="an existing Redis (default: a server of the bench's own)")
    p.add_argument("-n", type=int, default=10_000)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = None if args.url else RedisServer(Path(tmp), persistent=False)
        if server is not None:
            server.start()
        try:
            run(Redis.from_url(args.url or server.url), args.n)  # type: ignore[union-attr]
        finally:
            if server is not None:
                server.stop()


def run(redis: Redis[bytes], n: int) -> None:
    store = DayReader(redis, Keys(PREFIX), retention_days=1)
    built = demo.build_demo_day(["ko", "en"])
    save_day(redis, store.keys, built, retention_days=1)
    day = built.date
    wanted = [(s.lang, s.kind, s.category) for d in built.digests.values() for s in d.sections]
    keys = [store.keys.section(day, *w) for w in wanted]
    try:
        for i in range(500):  # warm up connections and caches
            store.section(day, *wanted[i % len(wanted)])
            redis.get(keys[i % len(keys)])
        ours: list[int] = []
        raw: list[int] = []
        clock = time.perf_counter_ns
        for i in range(n):
            j = i % len(wanted)
            t0 = clock()
            section = store.section(day, *wanted[j])
            t1 = clock()
            blob = redis.get(keys[j])
            t2 = clock()
            assert section is not None and blob is not None
            ours.append(t1 - t0)
            raw.append(t2 - t1)
    finally:
        redis.delete(*redis.keys(f"{PREFIX}:*"))
    size = statistics.mean(len(s.model_dump_json()) for d in built.digests.values()
                           for s in d.sections)  # fmt: skip
    print(f"{len(wanted)} sections, mean {size:.0f} bytes of JSON, {n} reads each way")
    p50, p99, raw50 = pct(ours, 0.5), pct(ours, 0.99), pct(raw, 0.5)
    print(f"raw p99={pct(raw, 0.99):.3f}ms")
    ratio = p50 / raw50
    print(f"bench store: p50={p50:.3f}ms p99={p99:.3f}ms raw_p50={raw50:.3f}ms ratio={ratio:.2f}")


if __name__ == "__main__":
    main()
