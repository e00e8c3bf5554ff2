"""`aidigest search WORDS [--kind K] [--category C] [--page N]`: search every published day in
Redis (the index the publish job writes), with the chat command's answer: day, kind, category,
title, and a link per hit when DIGEST_PUBLIC_URL is set."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from core.settings import Settings


def add(sub: Any) -> dict[str, Any]:
    q = sub.add_parser("search", help="search every published day (needs REDIS_URL)")
    q.add_argument("words", nargs="+", help="what to find, in English or Korean")
    q.add_argument("--kind", choices=["news", "papers"], help="only this kind")
    q.add_argument("--category", help="only this category (an id, e.g. llm, computer-vision)")
    q.add_argument("--page", type=int, default=1)
    q.add_argument("--lang", choices=["ko", "en"], help="summaries in (default: DIGEST_LANGUAGE)")
    return {"search": cmd_search}


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.redis.url:
        print("aidigest search reads the search index in Redis: set REDIS_URL.", file=sys.stderr)
        return 2
    from redis import Redis

    from core.search import Filters, SyncSearchReader
    from core.search.answer import hits_text
    from core.store.keys import Keys
    from core.taxonomy import load_taxonomy

    d = settings.digest
    category = args.category
    if category is not None:
        found = load_taxonomy(d.taxonomy_file).resolve(category, args.kind)
        if len({c.id for c in found}) != 1:
            print(f"No single category is ‘{category}’. Try: llm, cv, nlp", file=sys.stderr)
            return 2
        category = found[0].id
    lang = args.lang or d.language
    reader = SyncSearchReader(
        Redis.from_url(settings.redis.url), Keys(d.key_prefix), d.retention_days
    )
    page = reader.search(
        " ".join(args.words), Filters(kind=args.kind, category=category, lang=lang), args.page
    )
    text = hits_text(
        page, base_url=d.public_url, lang=lang, default_lang=d.language, command="aidigest search"
    )
    print(text, file=sys.stdout if page.hits else sys.stderr)
    return 0 if page.hits else 1
