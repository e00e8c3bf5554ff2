"""Published days, read synchronously (workers, `aidigest status`, benchmarks). Reads are one
round trip each; decoding is core/store/codec.py's, keys core/store/keys.py's."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from redis import Redis

from core.digest import Digest, History, Section
from core.store.codec import DayIndex, as_text, digest_of, index_of, pick_lang, section_ids
from core.store.codec import section_of as _section_of
from core.store.keys import Keys


class DayReader:
    def __init__(self, redis: Redis[bytes], keys: Keys, retention_days: int = 365) -> None:
        self.redis = redis
        self.keys = keys
        self.ttl = retention_days * 24 * 3600

    def dates(self) -> list[str]:
        """Published dates within retention, newest first."""
        raw = self.redis.zrangebyscore(self.keys.dates, f"({time.time() - self.ttl}", "+inf")
        return sorted((as_text(d) for d in raw), reverse=True)

    def latest(self) -> str | None:
        return next(iter(self.dates()), None)

    def index(self, day: str) -> DayIndex | None:
        return index_of(self.redis.get(self.keys.day(day)))

    def langs(self, day: str) -> list[str]:
        index = self.index(day)
        return index.langs if index else []

    def section(self, day: str, lang: str, kind: str, category: str) -> Section | None:
        return _section_of(self.redis.get(self.keys.section(day, lang, kind, category)))

    def chart(self, day: str, kind: str, trend: bool = False) -> bytes | None:
        raw = self.redis.get(self.keys.chart(day, f"{kind}-trend" if trend else kind))
        return None if raw is None else bytes(raw)

    def digest(self, day: str, lang: str, fallback: bool = True) -> Digest | None:
        """The whole digest of `day` in `lang`, sections included; with `fallback`, another
        language's when `lang` was not built."""
        meta = digest_of(self.redis.get(self.keys.digest(day, lang)))
        if meta is None and fallback and (other := pick_lang(lang, self.langs(day))):
            meta = digest_of(self.redis.get(self.keys.digest(day, other)))
        if meta is None:
            return None
        wanted = section_ids(meta)
        found = self.redis.mget([self.keys.section(day, meta.lang, k, c) for k, c in wanted])
        meta.sections = [s for s in map(_section_of, found) if s is not None]
        return meta

    def history(self, day: date | str, days: int = 6) -> History:
        """Category counts of the `days` published days before `day` (for trend charts)."""
        d = day if isinstance(day, date) else date.fromisoformat(day)
        wanted = [(d - timedelta(days=n)).isoformat() for n in range(days, 0, -1)]
        raws = self.redis.mget([self.keys.day(w) for w in wanted])
        return {
            when: index.counts
            for when, raw in zip(wanted, raws, strict=True)
            if (index := index_of(raw)) is not None
        }

    def events(self, after: str = "0-0", count: int = 100) -> list[tuple[str, dict[str, str]]]:
        """digest.ready events after stream id `after`."""
        rows: Sequence[Any] = self.redis.xrange(self.keys.events, f"({after}", "+", count=count)
        return [(as_text(i), {as_text(k): as_text(v) for k, v in f.items()}) for i, f in rows]
