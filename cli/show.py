"""`aidigest show [news|papers|all] [CATEGORY] [DATE]`: the chat command's grammar and answers
(core/query, core/lookup) on the command line, from built days on disk, or from Redis when
REDIS_URL is set (and no --out is given)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path
from typing import Any

from core.digest import Digest
from core.localtime import SystemClock, today_in
from core.lookup import Days, Found, lookup
from core.query import DatesQuery, HelpQuery, QueryError, ShowQuery, parse, usage
from core.report import render_section
from core.settings import Settings
from core.store.files import FilesReader
from core.store.keys import Keys
from core.taxonomy import Taxonomy, load_taxonomy


def add(sub: Any) -> dict[str, Any]:
    q = sub.add_parser("show", help="print one section: show [news|papers] [CATEGORY] [DATE]")
    q.add_argument("words", nargs="*", help="e.g. papers LLM 2024-10-04")
    q.add_argument("--out", help="where built days are (default: reports/)")
    q.add_argument("--lang", choices=["ko", "en"], help="language (default: DIGEST_LANGUAGE)")
    return {"show": cmd_show}


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    d = settings.digest
    today = today_in(d.timezone, SystemClock(d.clock_offset).now())
    text, ok = asyncio.run(_show(args, settings, load_taxonomy(d.taxonomy_file), today))
    print(text, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 2


async def _show(
    args: argparse.Namespace, settings: Settings, taxonomy: Taxonomy, today: date
) -> tuple[str, bool]:
    d = settings.digest
    if settings.redis.url and not args.out:
        from redis.asyncio import Redis

        from core.store.async_reader import AsyncDayReader

        redis: Redis[bytes] = Redis.from_url(settings.redis.url)
        try:
            days = AsyncDayReader(redis, Keys(d.key_prefix), d.retention_days)
            return await answer(
                " ".join(args.words), taxonomy, today, args.lang or d.language, days, "Redis"
            )
        finally:
            await redis.aclose()  # type: ignore[attr-defined]  # stubs predate redis 5
    out = Path(args.out) if args.out else d.out_dir
    lang = args.lang or d.language
    return await answer(" ".join(args.words), taxonomy, today, lang, FilesReader(out), str(out))


def _cli(text: str) -> str:
    return text.replace("/aidigest ", "aidigest show ")


async def answer(
    text: str, taxonomy: Taxonomy, today: date, lang: str, days: Days, where: str
) -> tuple[str, bool]:
    """(what to print, ok). Never raises on what a user typed."""
    q = parse(text, taxonomy, today)
    if isinstance(q, QueryError):
        return _cli(q.message), False
    if isinstance(q, HelpQuery):
        return _cli(usage(lang)), True
    if isinstance(q, DatesQuery):
        dates = await days.dates()
        if not dates:
            return f"No built days in {where}. Run: aidigest demo", False
        return "\n".join(dates), True
    if not isinstance(q, ShowQuery):
        return "Subscriptions are made in Slack or Discord with /aidigest subscribe.", False
    got = await lookup(q, days, lang)
    if not isinstance(got, Found):
        return _cli(got.message), False
    if got.sections:
        return "\n".join(render_section(s) for s in got.sections), True
    assert got.overview is not None
    return overview(got.overview), True


def overview(digest: Digest) -> str:
    lines = [f"Digest of {digest.date}:"]
    for kind, kd in digest.kinds.items():
        parts = [f"{kd.names[c]} ({kd.counts[c]})" for c in kd.sections]
        lines.append(f"  {kind} — {kd.total} items: {', '.join(parts) or 'no sections'}")
    first = next(((k, kd) for k, kd in digest.kinds.items() if kd.sections), None)
    if first is not None:
        kind, kd = first
        lines.append(f"Try: aidigest show {kind} {kd.names[kd.sections[0]]} {digest.date}")
    return "\n".join(lines)
