"""`aidigest`: build the demo day, build a real day, show a section (DESIGN.md "The CLI").

This is an entry point: it reads settings and builds clients; nothing below it does.
`workers/cli.py` adds the Redis commands (enqueue, status) through `main(extra=...)`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from redis.exceptions import RedisError

from core import archive, demo
from core.digest import Digest
from core.engine import make_engine
from core.localtime import SystemClock, today_in
from core.pipeline import BuiltDay, SourceResult, build_day, collect_source
from core.settings import Settings, load_settings
from core.show import show_text
from core.sources import make_client
from core.sources.spec import load_sources
from core.store import Store
from core.taxonomy import load_taxonomy
from core.windows import news_window

Command = Callable[[argparse.Namespace, Settings], int]
Extra = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], dict[str, Command]]


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    taxonomy = load_taxonomy(settings.digest.taxonomy_file)
    langs = [args.lang] if args.lang else settings.digest.build_languages()
    engine = make_engine(settings, offline=True)
    built = build_day(
        demo.DEMO_DATE,
        demo.demo_results(),
        taxonomy,
        langs=langs,
        section_cap=settings.digest.section_cap,
        now=demo.demo_now(),
        engine=engine,
        history=demo.demo_history(taxonomy),
    )
    return _write(args, settings, built)


def _write(args: argparse.Namespace, settings: Settings, built: BuiltDay) -> int:
    out = Path(args.out) if args.out else settings.digest.out_dir
    for path in archive.write_day(out, built):
        print(path)
    return 0


def _store(settings: Settings) -> Store | None:
    """The Redis store when REDIS_URL is set: `show` reads there and `build` stores there too."""
    if not settings.redis.url:
        return None
    from redis import Redis

    d = settings.digest
    return Store(Redis.from_url(settings.redis.url), d.key_prefix, d.retention_days)


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    d = settings.digest
    now = SystemClock(d.clock_offset).now()
    day = date.fromisoformat(args.date) if args.date else today_in(d.timezone, now)
    specs = load_sources(Path(args.config) if args.config else d.sources_file)
    taxonomy = load_taxonomy(Path(args.taxonomy) if args.taxonomy else d.taxonomy_file)
    window = news_window(day, d.timezone, d.build_time)
    _say(f"Building {day.isoformat()} from {len(specs)} sources…")
    results: list[SourceResult] = []
    with make_client() as client, ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(collect_source, client, s, day, window) for s in specs]
        for fut in as_completed(futures):
            r = fut.result()
            results.append(r)
            s = r.status
            mark = f"{s.items} items" if s.ok else f"FAILED: {s.error}"
            _say(f"  {'✓' if s.ok else '✗'} {s.name:<20} {mark} ({s.seconds:.1f} s)")
    order = {s.name: n for n, s in enumerate(specs)}
    results.sort(key=lambda r: order[r.status.name])
    if specs and not any(r.status.ok for r in results):
        _say(
            "Every source failed; nothing was built. Check the network and the source list "
            f"({args.config or d.sources_file or 'the shipped core/data/sources.toml'})."
        )
        return 3
    engine = make_engine(settings)
    _say(f"Classifying and summarising ({engine.name})…")
    out = Path(args.out) if args.out else d.out_dir
    store = _store(settings)
    built = build_day(
        day,
        results,
        taxonomy,
        langs=d.build_languages(),
        section_cap=d.section_cap,
        now=now.astimezone(ZoneInfo(d.timezone)),
        engine=engine,
        history=store.history(day) if store else archive.history(out),
    )
    code = _write(args, settings, built)
    if store is not None:
        store.save_day(built)
        _say(f"Stored {built.date} in Redis.")
    return code


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    d = settings.digest
    out = Path(args.out) if args.out else d.out_dir
    taxonomy = load_taxonomy(d.taxonomy_file)
    store = None if args.out else _store(settings)

    def read(day: str, lang: str) -> Digest | None:
        return store.digest(day, lang) if store else archive.read_digest(out, day, lang)

    dates = store.dates() if store else archive.dates(out)
    where = "Redis" if store else str(out)
    text, ok = show_text(
        " ".join(args.words),
        taxonomy=taxonomy,
        today=today_in(d.timezone, SystemClock(d.clock_offset).now()),
        lang=args.lang or d.language,
        dates=dates,
        read=read,
        where=where,
    )
    print(text, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 2


def parser(extra: Sequence[Extra] = ()) -> tuple[argparse.ArgumentParser, dict[str, Command]]:
    p = argparse.ArgumentParser(prog="aidigest", description="A daily AI news and papers digest.")
    sub = p.add_subparsers(dest="command", required=True)
    q = sub.add_parser("demo", help="build the bundled real sample day, offline")
    q.add_argument("--out", help="output directory (default: reports/)")
    q.add_argument(
        "--lang", choices=["ko", "en"], help="report language (default: DIGEST_LANGUAGE)"
    )
    q = sub.add_parser("build", help="build a day from the live sources")
    q.add_argument("--date", help="YYYY-MM-DD (default: today in DIGEST_TIMEZONE)")
    q.add_argument("--out", help="output directory (default: reports/)")
    q.add_argument("--config", help="a sources TOML file (default: the shipped list)")
    q.add_argument("--taxonomy", help="a taxonomy TOML file (default: the shipped one)")
    q = sub.add_parser("show", help="print one section: show [news|papers] [CATEGORY] [DATE]")
    q.add_argument("words", nargs="*", help="e.g. papers LLM 2024-10-04")
    q.add_argument("--out", help="where built days are (default: reports/)")
    q.add_argument("--lang", choices=["ko", "en"], help="language (default: DIGEST_LANGUAGE)")
    commands: dict[str, Command] = {"demo": cmd_demo, "build": cmd_build, "show": cmd_show}
    for add in extra:
        commands.update(add(sub))
    return p, commands


def main(argv: Sequence[str] | None = None, extra: Sequence[Extra] = ()) -> int:
    p, commands = parser(extra)
    args = p.parse_args(argv)
    try:
        settings = load_settings()
    except ValueError as e:
        _say(f"Bad settings: {e}")
        return 2
    try:
        return commands[args.command](args, settings)
    except (ValueError, OSError, RedisError) as e:
        _say(f"aidigest {args.command}: {e}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
