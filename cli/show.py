"""`aidigest show [news|papers|all] [CATEGORY] [DATE]`, or `aidigest show [--kind K] [--category C]
[--date D]`: the chat command's answers (core/query, core/lookup) on the command line, from built
days on disk, or from Redis when REDIS_URL is set (and no --out is given).

The words are the chat grammar, for people who type it; the flags are typed options, each value
read as its own option only (core.query.show_options, as Discord's slash options are), so
`--category "LLM share"` is an unknown category, not a category and a request to share. A bad
flag's error names the flag, and its example is written in flags.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shlex
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from core.digest import Digest
from core.items import KINDS, Kind
from core.localtime import SystemClock, today_in
from core.lookup import Days, Found, lookup
from core.query import (
    DatesQuery,
    HelpQuery,
    OptionError,
    Query,
    QueryError,
    ShowQuery,
    parse,
    show_options,
    usage,
)
from core.report import render_section
from core.settings import Settings
from core.store.files import FilesReader
from core.store.keys import Keys
from core.taxonomy import Taxonomy, load_taxonomy

_EXAMPLE = re.compile(r"`(/aidigest\b[^`]*)`")
BOTH = (
    "Give the words (aidigest show papers LLM) or the flags (--kind, --category, --date), not both."
)


def add(sub: Any) -> dict[str, Any]:
    q = sub.add_parser(
        "show", help="print one section: show [news|papers] [CATEGORY] [DATE], or with flags"
    )
    q.add_argument("words", nargs="*", help="the chat command's words, e.g. papers LLM 2024-10-04")
    q.add_argument("--kind", help="news, papers or all (each flag is read as its own value only)")
    q.add_argument("--category", help="one category: a name, id or alias, e.g. LLM, cv")
    q.add_argument("--date", help="YYYY-MM-DD, today, yesterday or -N (e.g. --date=-1)")
    q.add_argument("--out", help="where built days are (default: reports/)")
    q.add_argument("--lang", choices=["ko", "en"], help="language (default: DIGEST_LANGUAGE)")
    return {"show": cmd_show}


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    d = settings.digest
    today = today_in(d.timezone, SystemClock(d.clock_offset).now())
    text, ok = asyncio.run(_show(args, settings, load_taxonomy(d.taxonomy_file), today))
    print(text, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 2


def read(
    args: argparse.Namespace, taxonomy: Taxonomy, today: date
) -> Query | QueryError | OptionError:
    """The words through the chat grammar, or the flags through the typed builder."""
    flags = {"kind": args.kind, "category": args.category, "date": args.date}
    if all(v is None for v in flags.values()):
        return parse(" ".join(args.words), taxonomy, today)
    if args.words:
        return QueryError(BOTH)
    return show_options(taxonomy, today, **flags)


async def _show(
    args: argparse.Namespace, settings: Settings, taxonomy: Taxonomy, today: date
) -> tuple[str, bool]:
    d = settings.digest
    q = read(args, taxonomy, today)
    lang = args.lang or d.language
    if settings.redis.url and not args.out:
        from redis.asyncio import Redis

        from core.store.async_reader import AsyncDayReader

        redis: Redis[bytes] = Redis.from_url(settings.redis.url)
        try:
            days = AsyncDayReader(redis, Keys(d.key_prefix), d.retention_days)
            return await answer(q, taxonomy, today, lang, days, "Redis")
        finally:
            await redis.aclose()  # type: ignore[attr-defined]  # stubs predate redis 5
    out = Path(args.out) if args.out else d.out_dir
    return await answer(q, taxonomy, today, lang, FilesReader(out), str(out))


def _cli(text: str) -> str:
    return text.replace("/aidigest ", "aidigest show ")


def option_message(
    e: OptionError, taxonomy: Taxonomy, today: date, search: Sequence[str] | None = None
) -> str:
    """A bad flag's error, named as the flag, each example rewritten as `aidigest show` with
    flags, or (`search`: the words searched for) as `aidigest search WORDS` with flags, so the
    example can be pasted back. An example that is not a show query is left in chat words."""
    command = "aidigest show" if search is None else f"aidigest search {shlex.join(search)}"

    def rewrite(m: re.Match[str]) -> str:
        text = m.group(1).removeprefix("/aidigest").strip()
        if search is not None:
            text = text.removeprefix("search").strip()
        q = parse(text, taxonomy, today)
        if not isinstance(q, ShowQuery):
            return m.group(0).replace("/aidigest ", "aidigest ")
        return f"`{command}{_flags(q, taxonomy, dated=search is None)}`"

    name = e.option if e.option == "words" else f"--{e.option}"
    return f"{name}: {_EXAMPLE.sub(rewrite, e.message)}"


def _flags(q: ShowQuery, taxonomy: Taxonomy, *, dated: bool) -> str:
    kind = q.kinds[0] if len(q.kinds) == 1 else None
    words = ["--kind", kind] if kind else []
    if q.category:
        words += ["--category", _name(taxonomy, q.category, kind)]
    if q.date and dated:
        words += ["--date", q.date.isoformat()]
    return "".join(" " + shlex.quote(w) for w in words)


def _name(taxonomy: Taxonomy, category: str, kind: Kind | None) -> str:
    for k in (kind,) if kind else KINDS:
        for c in taxonomy.sections(k):
            if c.id == category:
                return c.name
    return category


async def answer(
    q: Query | QueryError | OptionError,
    taxonomy: Taxonomy,
    today: date,
    lang: str,
    days: Days,
    where: str,
) -> tuple[str, bool]:
    """(what to print, ok). Never raises on what a user typed."""
    if isinstance(q, OptionError):
        return option_message(q, taxonomy, today), False
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
