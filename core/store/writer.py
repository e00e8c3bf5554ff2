"""Publishing a built day to Redis: every digest, section and chart, the day's item list, the
date, and a digest.ready event, in one MULTI/EXEC (keys: core/store/keys.py).

On the caller's pipeline when handed one (already in MULTI), so a publish job can mark its build
done in the same transaction. Keys of an earlier publish of the day that the new one no longer
has are removed. Every key of the day expires `retention_days` after this publish.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from redis import Redis
from redis.client import Pipeline

from core.item_list import dumps
from core.store.codec import READY, DayIndex, index_of
from core.store.keys import Keys

if TYPE_CHECKING:  # the pipeline imports matplotlib: readers (the bots) need none of it
    from core.pipeline import BuiltDay

EVENTS_MAXLEN = 10_000  # digest.ready events kept (approximately) for late readers


def save_day(
    redis: Redis[bytes],
    keys: Keys,
    built: BuiltDay,
    retention_days: int,
    pipeline: Pipeline[bytes] | None = None,
) -> None:
    day, ex = built.date, retention_days * 24 * 3600
    old = index_of(redis.get(keys.day(day)))
    first = next(iter(built.digests.values()))
    index = DayIndex(
        langs=list(built.digests),
        charts=list(built.charts),
        sections=[
            f"{s.lang}:{s.kind}:{s.category}" for d in built.digests.values() for s in d.sections
        ],
        counts={k: kd.counts for k, kd in first.kinds.items()},  # a 0 day is a trend's 0
        published=time.time(),
    )
    pipe = pipeline if pipeline is not None else redis.pipeline(transaction=True)
    if old is not None:
        stale = [keys.section(day, *s.split(":")) for s in old.sections if s not in index.sections]
        stale += [keys.digest(day, lang) for lang in old.langs if lang not in index.langs]
        stale += [keys.chart(day, c) for c in old.charts if c not in index.charts]
        if stale:
            pipe.delete(*stale)
    for lang, digest in built.digests.items():
        meta = digest.model_copy(update={"sections": []})
        pipe.set(keys.digest(day, lang), meta.model_dump_json(), ex=ex)
        for s in digest.sections:
            pipe.set(keys.section(day, lang, s.kind, s.category), s.model_dump_json(), ex=ex)
    for name, png in built.charts.items():
        pipe.set(keys.chart(day, name), png, ex=ex)
    pipe.set(keys.items(day), dumps(built.rows), ex=ex)
    pipe.set(keys.day(day), index.model_dump_json(), ex=ex)
    pipe.zadd(keys.dates, {day: index.published})
    pipe.zremrangebyscore(keys.dates, "-inf", f"({index.published - ex}")
    pipe.xadd(
        keys.events,
        {"type": READY, "date": day, "langs": ",".join(index.langs)},
        maxlen=EVENTS_MAXLEN,
        approximate=True,
    )
    if pipeline is None:
        pipe.execute()
