"""Built days in Redis: what the bots and `aidigest show` read, written whole by a build.

Layout (prefix `aidigest` by default, DIGEST_KEY_PREFIX). Values are JSON, charts raw PNG bytes,
so the client must use decode_responses=False. Every key of a day expires `retention_days` after
the day was last published (DIGEST_RETENTION_DAYS, default 365): retention is by TTL.

    {p}:digest:{date}:{lang}                 JSON Digest with "sections": [] (they live apart)
    {p}:section:{date}:{lang}:{kind}:{cat}   JSON Section: summary parts, citations, sources
    {p}:chart:{date}:{kind}[:trend]          PNG bytes: category distribution, 7-day trend
    {p}:day:{date}                           JSON index: languages, charts, sections, counts
    {p}:dates                                sorted set: date -> when published (epoch seconds)
    {p}:events                               stream: type=digest.ready date=… langs=…

`save_day` writes all of a day in one MULTI/EXEC (on the caller's pipeline when handed one, so a
publish job can mark its build done in the same transaction) and removes the keys of an earlier
publish of that day that the new one no longer has. Reads are single round trips.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from redis import Redis
from redis.client import Pipeline

from core.digest import Digest, Section

if TYPE_CHECKING:  # the pipeline imports matplotlib: readers (the bots) need none of it
    from core.pipeline import BuiltDay

History = Mapping[str, Mapping[str, Mapping[str, int]]]  # as core.pipeline.History

EVENTS_MAXLEN = 10_000  # digest.ready events kept (approximately) for late readers
READY = "digest.ready"


class DayIndex(BaseModel):
    """What one published day holds; also its category counts, for later trend charts."""

    langs: list[str]
    charts: list[str]  # "news", "papers", "news-trend", …
    sections: list[str]  # "{lang}:{kind}:{cat}", in digest order
    counts: dict[str, dict[str, int]]  # kind -> category id -> items (kinds with items)
    published: float


class Store:
    def __init__(
        self, redis: Redis[bytes], prefix: str = "aidigest", retention_days: int = 365
    ) -> None:
        self.redis = redis
        self.prefix = prefix
        self.ttl = retention_days * 24 * 3600

    # --- keys -------------------------------------------------------------------------------

    def digest_key(self, day: str, lang: str) -> str:
        return f"{self.prefix}:digest:{day}:{lang}"

    def section_key(self, day: str, lang: str, kind: str, category: str) -> str:
        return f"{self.prefix}:section:{day}:{lang}:{kind}:{category}"

    def chart_key(self, day: str, name: str) -> str:
        """`name` is a kind, or "{kind}-trend" as BuiltDay.charts names them."""
        return f"{self.prefix}:chart:{day}:{name.replace('-trend', ':trend')}"

    def day_key(self, day: str) -> str:
        return f"{self.prefix}:day:{day}"

    @property
    def dates_key(self) -> str:
        return f"{self.prefix}:dates"

    @property
    def events_key(self) -> str:
        return f"{self.prefix}:events"

    # --- writing ----------------------------------------------------------------------------

    def save_day(self, built: BuiltDay, pipeline: Pipeline[bytes] | None = None) -> None:
        """Publish a built day: every digest, section and chart, the date, a digest.ready event.
        With `pipeline` (already in MULTI) the commands join the caller's transaction."""
        day, ex = built.date, self.ttl
        old = self._index(day)
        first = next(iter(built.digests.values()))
        index = DayIndex(
            langs=list(built.digests),
            charts=list(built.charts),
            sections=[
                f"{s.lang}:{s.kind}:{s.category}"
                for d in built.digests.values()
                for s in d.sections
            ],
            counts={k: kd.counts for k, kd in first.kinds.items() if kd.total},
            published=time.time(),
        )
        pipe = pipeline if pipeline is not None else self.redis.pipeline(transaction=True)
        if old is not None:
            stale = [
                self.section_key(day, *s.split(":"))
                for s in old.sections
                if s not in index.sections
            ]
            stale += [self.digest_key(day, lang) for lang in old.langs if lang not in index.langs]
            stale += [self.chart_key(day, c) for c in old.charts if c not in index.charts]
            if stale:
                pipe.delete(*stale)
        for lang, digest in built.digests.items():
            meta = digest.model_copy(update={"sections": []})
            pipe.set(self.digest_key(day, lang), meta.model_dump_json(), ex=ex)
            for s in digest.sections:
                pipe.set(
                    self.section_key(day, lang, s.kind, s.category), s.model_dump_json(), ex=ex
                )
        for name, png in built.charts.items():
            pipe.set(self.chart_key(day, name), png, ex=ex)
        pipe.set(self.day_key(day), index.model_dump_json(), ex=ex)
        pipe.zadd(self.dates_key, {day: index.published})
        pipe.zremrangebyscore(self.dates_key, "-inf", f"({index.published - ex}")
        pipe.xadd(
            self.events_key,
            {"type": READY, "date": day, "langs": ",".join(index.langs)},
            maxlen=EVENTS_MAXLEN,
            approximate=True,
        )
        if pipeline is None:
            pipe.execute()

    # --- reading ----------------------------------------------------------------------------

    def dates(self) -> list[str]:
        """Published dates within retention, newest first."""
        raw = self.redis.zrangebyscore(self.dates_key, f"({time.time() - self.ttl}", "+inf")
        return sorted((_text(d) for d in raw), reverse=True)

    def latest(self) -> str | None:
        return next(iter(self.dates()), None)

    def langs(self, day: str) -> list[str]:
        index = self._index(day)
        return index.langs if index else []

    def section(self, day: str, lang: str, kind: str, category: str) -> Section | None:
        raw = self.redis.get(self.section_key(day, lang, kind, category))
        return None if raw is None else Section.model_validate_json(raw)

    def chart(self, day: str, kind: str, trend: bool = False) -> bytes | None:
        raw = self.redis.get(self.chart_key(day, f"{kind}-trend" if trend else kind))
        return None if raw is None else bytes(raw)

    def digest(self, day: str, lang: str, fallback: bool = True) -> Digest | None:
        """The whole digest of `day` in `lang`, sections included; with `fallback`, another
        language's when `lang` was not built."""
        raw = self.redis.get(self.digest_key(day, lang))
        if raw is None and fallback:
            others = self.langs(day)
            if others:
                lang, raw = others[0], self.redis.get(self.digest_key(day, others[0]))
        if raw is None:
            return None
        meta = Digest.model_validate_json(raw)
        keys = [  # dict.fromkeys: a day built in two languages lists each category twice
            self.section_key(day, lang, kind, c)
            for kind, kd in meta.kinds.items()
            for c in dict.fromkeys(kd.sections)
        ]
        found = self.redis.mget(keys) if keys else []
        meta.sections = [Section.model_validate_json(s) for s in found if s is not None]
        return meta

    def history(self, day: date | str, days: int = 6) -> History:
        """Category counts of the `days` published days before `day` (for trend charts)."""
        d = day if isinstance(day, date) else date.fromisoformat(day)
        wanted = [(d - timedelta(days=n)).isoformat() for n in range(days, 0, -1)]
        out: dict[str, dict[str, dict[str, int]]] = {}
        for when, raw in zip(
            wanted, self.redis.mget([self.day_key(w) for w in wanted]), strict=True
        ):
            if raw is not None:
                out[when] = DayIndex.model_validate_json(raw).counts
        return out

    def events(self, after: str = "0-0", count: int = 100) -> list[tuple[str, dict[str, str]]]:
        """digest.ready events after stream id `after` (bots keep the last id they handled)."""
        rows: Sequence[Any] = self.redis.xrange(self.events_key, f"({after}", "+", count=count)
        return [(_text(i), {_text(k): _text(v) for k, v in f.items()}) for i, f in rows]

    def _index(self, day: str) -> DayIndex | None:
        raw = self.redis.get(self.day_key(day))
        return None if raw is None else DayIndex.model_validate_json(raw)


def _text(v: bytes | str) -> str:
    return v.decode() if isinstance(v, bytes) else v


__all__ = ["READY", "DayIndex", "Store"]
