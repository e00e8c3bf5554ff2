"""`aidigest web`: the web archive (web/) serving the published days from Redis, and the
in-memory variant `aidigest demo --serve` uses (the demo day, no Redis).

Settings: WEB_HOST, WEB_PORT, WEB_WORKERS (processes; default 1), DIGEST_PUBLIC_URL
(absolute links in the feed and in link previews; without it they come from the address each
request was sent to), REDIS_URL, DIGEST_KEY_PREFIX, DIGEST_RETENTION_DAYS, DIGEST_LANGUAGE (the
default language of pages).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from core.logs import setup_logging
from core.pipeline import BuiltDay
from core.settings import Settings

PAGE_TTL = 3600.0  # a page is re-rendered after a publish (the stream says so), or this late


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def add(sub: Any) -> dict[str, Any]:
    q = sub.add_parser("web", help="serve the web archive (day pages, search, Atom feed)")
    q.add_argument("--host", help="address to listen on (default: WEB_HOST)")
    q.add_argument("--port", type=int, help="port (default: WEB_PORT)")
    q.add_argument(
        "--workers",
        type=int,
        help="processes sharing the port (default: WEB_WORKERS, 1)",
    )
    return {"web": cmd_web}


def cmd_web(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.redis.url:
        _say(
            "aidigest web reads the published days from Redis: set REDIS_URL. "
            "To look at the site without Redis: aidigest demo --serve"
        )
        return 2
    from redis.asyncio import Redis

    from core.search import SearchReader
    from core.store.async_reader import AsyncDayReader
    from core.store.keys import Keys
    from web import DayReader, Site
    from web.serve import run
    from web.site import DATES_TTL

    d, url = settings.digest, settings.redis.url

    async def make() -> Site:
        client: Redis[bytes] = Redis.from_url(url)
        keys = Keys(d.key_prefix)
        days: DayReader = AsyncDayReader(client, keys, d.retention_days, dates_ttl=DATES_TTL)
        search = SearchReader(client, keys, d.retention_days, keep_warm=True)
        await search.warm()  # before the first visitor: the index in memory (core/search)
        return Site(
            days=days,
            search=search,
            default_lang=d.language,
            public_url=d.public_url,
            page_ttl=PAGE_TTL,
            events=(client, keys),
        )

    setup_logging(d.log_format, secrets=settings.secrets())
    host, port = args.host or settings.web.host, args.port or settings.web.port
    workers = max(1, args.workers or settings.web.workers)
    _say(f"aidigest web: http://{host}:{port}/ ({workers} process(es); Ctrl-C stops)")
    run(make, host, port, workers)
    return 0


def serve_days(days: Sequence[BuiltDay], settings: Settings, host: str, port: int) -> int:
    """Serve built days held in memory (no Redis): `aidigest demo --serve`."""
    from core.search.memory import MemorySearch
    from web import MemoryReader, Site
    from web.serve import run

    d = settings.digest

    async def make() -> Site:
        return Site(
            days=MemoryReader(days),
            search=MemorySearch(days),
            default_lang=d.language,
            public_url=d.public_url,
            page_ttl=PAGE_TTL,
        )

    setup_logging(d.log_format, secrets=settings.secrets())
    _say(f"Serving {', '.join(b.date for b in days)}: http://{host}:{port}/ (Ctrl-C stops)")
    run(make, host, port)
    return 0
