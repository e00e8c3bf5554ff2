"""`subscribe [news|papers|all] [CATEGORY...] [at HH:MM] [TZ] [ko|en]` and `unsubscribe`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace

from core.query._categories import (
    category_hits,
    kinds_of,
)
from core.query._dates import date_of
from core.query._types import (
    Query,
    QueryError,
    SubscribeQuery,
    UnsubscribeQuery,
)
from core.query._words import (
    CLOCK,
    COMMANDS,
    KIND_WORDS,
    LANGS,
    OFFSET,
    Context,
    Problem,
    shown,
)
from core.query._zones import (
    bad_time,
    bad_zone,
    clock,
    zone,
    zone_names,
)
from core.taxonomy import Taxonomy


def parse_subscribe(words: Sequence[str], tx: Taxonomy, today: dt.date) -> Query | QueryError:
    kind_words: list[str] = []
    times: list[dt.time] = []
    zones: list[str] = []
    langs: list[str] = []
    problems: list[Problem] = []
    runs: list[list[str]] = [[]]
    i = 0
    while i < len(words):
        w, lw = words[i], words[i].lower()
        i += 1
        if lw == "at" or CLOCK.fullmatch(lw):
            said: str | None = w
            if lw == "at":
                said = words[i] if i < len(words) else None
                i += 1
            t = clock(said, hour_alone=lw == "at")
            if t is None:
                problems.append(bad_time(said))
            else:
                times.append(t)
        elif lw in KIND_WORDS:
            kind_words.append(lw)
        elif lw in LANGS:
            langs.append(LANGS[lw])
        elif ("/" in w or lw in zone_names() or OFFSET.fullmatch(lw)) and (
            problems or not tx.resolve(w)  # once a problem is found it is the answer: skip
        ):  # the category lookup (~0.2 ms a word) that only tells a "ML/AI" category apart
            z = zone(w)
            if z is None:
                problems.append(bad_zone(w))
            else:
                zones.append(z)
        elif lw == "share" or lw in COMMANDS or date_of(w, today) is not None:
            problems.append(Problem(no_word(w)))
        else:
            runs[-1].append(w)
            continue
        runs.append([])
    kinds = {KIND_WORDS[w] for w in kind_words}
    only = next(iter(kinds)) if len(kinds) == 1 else None
    hits, cat_problem = category_hits(runs, only, tx)
    at = times[0] if len(set(times)) == 1 else None
    tz = zones[0] if len(set(zones)) == 1 else None
    lang = langs[0] if len(set(langs)) == 1 else None
    names = tuple(dict.fromkeys(h.cats[0].name for h in hits))
    ctx = Context("subscribe", only, names, at=at, tz=tz, lang=lang)
    if problems:
        return QueryError(problems[0].build(ctx))
    for said_what, n in (
        ("kinds", len(kinds)),
        ("times", len(set(times))),
        ("zones", len(set(zones))),
    ):
        if n > 1:
            return QueryError(f"Two {said_what} in one subscription; pick one. Try: {ctx.cmd()}")
    if len(set(langs)) > 1:
        return QueryError(f"Pick one language, ko or en. Try: {replace(ctx, lang='en').cmd()}")
    if cat_problem:
        return QueryError(cat_problem.build(ctx))
    pairs = tuple(dict.fromkeys((c.kind, c.id) for h in hits for c in h.cats))
    return SubscribeQuery((only,) if only else kinds_of(hits), pairs, at, tz, lang)


def no_word(word: str) -> Callable[[Context], str]:
    return lambda c: f"'{shown(word)}' doesn't go in a subscription. Try: {c.cmd()}"


def parse_unsubscribe(words: Sequence[str]) -> UnsubscribeQuery | QueryError:
    if (
        any(w.lower() not in KIND_WORDS for w in words)
        or len({KIND_WORDS[w.lower()] for w in words}) > 1
    ):
        return QueryError(
            "unsubscribe takes one of news, papers or all (nothing means everything). "
            "Try: `/aidigest unsubscribe papers` or `/aidigest unsubscribe`"
        )
    kind = KIND_WORDS[words[0].lower()] if words else None
    return UnsubscribeQuery((kind,) if kind else ())
