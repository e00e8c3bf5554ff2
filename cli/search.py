"""`aidigest search WORDS [--kind K] [--category C] [--page N]`: search every published day in
Redis (the index the publish job writes), with the chat command's answer: day, kind, category,
title, and a link per hit when DIGEST_PUBLIC_URL is set.

The words and flags go through the typed builder the bots use (core.query.search_options), so a
bad --kind or --category gets the bots' message, named as the flag, its example in flags."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from core.settings import Settings


def add(sub: Any) -> dict[str, Any]:
    q = sub.add_parser("search", help="search every published day (needs REDIS_URL)")
    q.add_argument("words", nargs="+", help="what to find, in English or Korean")
    q.add_argument("--kind", help="only this kind: news or papers (all: both, the default)")
    q.add_argument("--category", help="only this category: a name, id or alias, e.g. LLM, cv")
    q.add_argument("--page", type=int, default=1)
    q.add_argument("--lang", choices=["ko", "en"], help="summaries in (default: DIGEST_LANGUAGE)")
    return {"search": cmd_search}


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.redis.url:
        print("aidigest search reads the search index in Redis: set REDIS_URL.", file=sys.stderr)
        return 2
    from redis import Redis

    from cli.show import option_message
    from core.localtime import SystemClock, today_in
    from core.query import OptionError, search_options
    from core.search import Filters, SyncSearchReader
    from core.search.answer import hits_text
    from core.store.keys import Keys
    from core.taxonomy import load_taxonomy

    d = settings.digest
    tx = load_taxonomy(d.taxonomy_file)
    q = search_options(tx, words=" ".join(args.words), kind=args.kind, category=args.category)
    if isinstance(q, OptionError):
        today = today_in(d.timezone, SystemClock(d.clock_offset).now())
        print(option_message(q, tx, today, search=args.words), file=sys.stderr)
        return 2
    lang = args.lang or d.language
    reader = SyncSearchReader(
        Redis.from_url(settings.redis.url), Keys(d.key_prefix), d.retention_days
    )
    page = reader.search(q.words, Filters(kind=q.kind, category=q.category, lang=lang), args.page)
    text = hits_text(
        page, base_url=d.public_url, lang=lang, default_lang=d.language, command="aidigest search"
    )
    print(text, file=sys.stdout if page.hits else sys.stderr)
    return 0 if page.hits else 1
