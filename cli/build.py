"""`aidigest demo` (the bundled sample day, offline) and `aidigest build` (a day from the live
sources): the pipeline inline, the day written as files, and stored in Redis too when REDIS_URL
is set."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from core import demo
from core.engine import make_engine
from core.history import combined, saved_history
from core.intake import lookback_for
from core.localtime import SystemClock, today_in
from core.pipeline import BuiltDay, SourceResult, build_day, collect_all, every_source_failed
from core.settings import Settings
from core.sources import make_client
from core.sources.spec import load_sources
from core.store import files
from core.store.connect import RedisUnavailable, check, open_redis
from core.store.keys import Keys
from core.store.mark_files import FileWatermarks
from core.store.marks import RedisWatermarks
from core.store.sync_reader import DayReader
from core.store.writer import save_day
from core.taxonomy import load_taxonomy
from core.windows import news_window


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def add(sub: Any) -> dict[str, Any]:
    q = sub.add_parser("demo", help="build the bundled real sample day, offline")
    q.add_argument("--out", help="output directory (default: reports/)")
    q.add_argument(
        "--lang", choices=["ko", "en"], help="report language (default: DIGEST_LANGUAGE)"
    )
    q.add_argument(
        "--serve", action="store_true", help="then serve it as the web archive, without Redis"
    )
    q.add_argument("--host", help="with --serve: address (default: WEB_HOST)")
    q.add_argument("--port", type=int, help="with --serve: port (default: WEB_PORT)")
    q = sub.add_parser("build", help="build a day from the live sources")
    q.add_argument("--date", help="YYYY-MM-DD (default: today in DIGEST_TIMEZONE)")
    q.add_argument("--out", help="output directory (default: reports/)")
    q.add_argument("--config", help="a sources TOML file (default: the shipped list)")
    q.add_argument("--taxonomy", help="a taxonomy TOML file (default: the shipped one)")
    return {"demo": cmd_demo, "build": cmd_build}


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    built = demo.build_demo_day(
        [args.lang] if args.lang else settings.digest.build_languages(),
        engine=make_engine(settings, offline=True),
        taxonomy=load_taxonomy(settings.digest.taxonomy_file),
        section_cap=settings.digest.section_cap,
    )
    code = _write(args, settings, built)
    if code == 0 and args.serve:
        from cli.web import serve_days

        host, port = args.host or settings.web.host, args.port or settings.web.port
        return serve_days([built], settings, host, port)
    return code


def _write(args: argparse.Namespace, settings: Settings, built: BuiltDay) -> int:
    out = Path(args.out) if args.out else settings.digest.out_dir
    for path in files.write_day(out, built):
        print(path)
    return 0


def _redis(settings: Settings) -> Any:
    """The Redis connection when REDIS_URL is set (`build` stores there too), checked before
    anything is fetched: RedisUnavailable says "Redis", the masked URL and why."""
    if not settings.redis.url:
        return None
    redis = open_redis(settings.redis.url)
    check(redis, settings.redis.url)
    return redis


def _report(r: SourceResult) -> None:
    s = r.status
    again = " (as recorded)" if s.coverage and s.coverage.replayed else ""
    mark = f"{s.items} new{again}" if s.ok else f"FAILED: {s.error}"
    _say(f"  {'✓' if s.ok else '✗'} {s.name:<20} {mark} ({s.seconds:.1f} s)")


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    d = settings.digest
    now = SystemClock(d.clock_offset).now()
    day = date.fromisoformat(args.date) if args.date else today_in(d.timezone, now)
    specs = load_sources(Path(args.config) if args.config else d.sources_file)
    taxonomy = load_taxonomy(Path(args.taxonomy) if args.taxonomy else d.taxonomy_file)
    try:
        redis = _redis(settings)
    except RedisUnavailable as e:
        _say(f"aidigest build: {e}. Nothing was fetched. Start Redis, fix REDIS_URL, or unset it.")
        return 2
    _say(f"Building {day.isoformat()} from {len(specs)} sources…")
    out = Path(args.out) if args.out else d.out_dir
    redis = _redis(settings)
    keys = Keys(d.key_prefix)
    # what each source released since the previous digest: the workers' marks when Redis is
    # configured (one stream, whoever builds), else a state file beside the reports
    marks = RedisWatermarks(redis, keys, d.retention_days) if redis else FileWatermarks(out)
    with make_client() as client:
        window = news_window(day, d.timezone, d.build_time)
        results = collect_all(
            client,
            specs,
            day,
            window,
            on_done=_report,
            marks=marks,
            now=now,
            lookback=lookback_for(d.arxiv_holidays_file),
        )
    if every_source_failed(results):
        _say(
            "Every source failed; nothing was built. Check the network and the source list "
            f"({args.config or d.sources_file or 'the shipped core/data/sources.toml'})."
        )
        return 3
    engine = make_engine(settings, redis=redis)
    _say(f"Classifying and summarising ({engine.name})…")
    published = DayReader(redis, keys, d.retention_days).history(day) if redis else {}
    history = combined(files.history(out), saved_history(specs, day, taxonomy), published)
    built = build_day(
        day,
        results,
        taxonomy,
        langs=d.build_languages(),
        section_cap=d.section_cap,
        now=now.astimezone(ZoneInfo(d.timezone)),
        engine=engine,
        history=history,
        tz=d.timezone,
    )
    code = _write(args, settings, built)
    if redis is not None:
        from core.search import SearchWriter

        save_day(redis, keys, built, d.retention_days)
        n = SearchWriter(redis, keys, d.retention_days).index_built(built)
        _say(f"Stored {built.date} in Redis ({n} search documents).")
    return code
