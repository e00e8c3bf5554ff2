"""`/aidigest [show] [news|papers|all] [CATEGORY] [DATE] [share]`, words in any order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from core.items import KINDS
from core.query._categories import (
    category_hits,
    kinds_of,
)
from core.query._dates import date_of
from core.query._types import (
    QueryError,
    ShowQuery,
)
from core.query._words import (
    COMMANDS,
    KIND_WORDS,
    Context,
    Problem,
    not_first,
    one_of,
    shown,
)
from core.taxonomy import Taxonomy


def parse_show(words: Sequence[str], tx: Taxonomy, today: dt.date) -> ShowQuery | QueryError:
    share = False
    kind_words: list[str] = []
    dates: list[tuple[str, dt.date]] = []
    problems: list[Problem] = []
    runs: list[list[str]] = [[]]
    for w in words:
        lw = w.lower()
        if lw == "share":
            share = True
        elif lw in KIND_WORDS:
            kind_words.append(lw)
        elif lw in COMMANDS:
            problems.append(not_first(w))
        elif (d := date_of(w, today)) is not None:
            if isinstance(d, Problem):
                problems.append(d)
            else:
                dates.append((w, d))
        else:
            runs[-1].append(w)
            continue
        runs.append([])  # a category name never spans a keyword
    kinds = {KIND_WORDS[w] for w in kind_words}
    only = next(iter(kinds)) if len(kinds) == 1 else None
    hits, cat_problem = category_hits(runs, only, tx)
    ids = list(dict.fromkeys(h.cats[0].id for h in hits))
    day = dates[0][1] if len({d for _, d in dates}) == 1 else None
    cat = hits[0].cats[0].name if len(ids) == 1 else None
    ctx = Context(kind=only, categories=(cat,) if cat else (), day=day, share=share)
    if problems:
        return QueryError(problems[0].build(ctx))
    if len(kinds) > 1:
        a = kind_words[0]
        b = next(w for w in kind_words if KIND_WORDS[w] != KIND_WORDS[a])
        have = {c.kind for c in hits[0].cats} if len(ids) == 1 else set(KINDS)
        tries = [replace(ctx, kind=k).cmd() for k in KINDS if k in have]
        return QueryError(
            f"'{a}' and '{b}' conflict: a query asks for one kind (or all). Try: {one_of(tries)}"
        )
    if day is None and dates:
        (a, _), (b, _) = dates[0], next(x for x in dates if x[1] != dates[0][1])
        tries = [replace(ctx, day=d).cmd() for d in dict.fromkeys(d for _, d in dates)]
        return QueryError(f"'{shown(a)}' and '{shown(b)}' are two dates. Try: {one_of(tries)}")
    if cat_problem:
        return QueryError(cat_problem.build(replace(ctx, categories=())))
    if len(ids) > 1:
        names = [next(h for h in hits if h.cats[0].id == i).cats[0].name for i in ids]
        tries = [replace(ctx, categories=(n,)).cmd() for n in names]
        said = " and ".join(f"'{shown(h.words)}'" for h in hits[:2])
        return QueryError(f"{said} are two categories; ask for one at a time. Try: {one_of(tries)}")
    if only:
        return ShowQuery((only,), ids[0] if ids else None, day, share)
    return ShowQuery(kinds_of(hits), ids[0] if ids else None, day, share)
