"""Published days, read with asyncio (the bots, the web archive, `aidigest show`): the same keys
and decoding as the sync reader, without blocking an event loop. The client must be created with
decode_responses=False (charts are bytes). Reads are one round trip each."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence

from redis.asyncio import Redis
from redis.exceptions import RedisError

from core.digest import Digest, Section
from core.store.codec import as_text, digest_of, index_of, pick_lang, ready_date, section_ids
from core.store.codec import section_of as _section_of
from core.store.day_cache import DayCache
from core.store.kept import Kept
from core.store.keys import Keys

log = logging.getLogger(__name__)


class AsyncDayReader:
    def __init__(
        self,
        redis: Redis[bytes],
        keys: Keys,
        retention_days: int = 365,
        cache: DayCache[Section] | None = None,
        dates_ttl: float = 0.0,
    ) -> None:
        """With `cache`, sections once read are kept decoded (core/store/day_cache.py); with
        `dates_ttl`, the list of published dates is kept that many seconds. Either way, whoever
        builds the reader must call `published(day)` for every digest.ready (follow_ready)."""
        self.redis = redis
        self.keys = keys
        self.ttl = retention_days * 24 * 3600
        self.cache = cache
        self.dates_ttl = dates_ttl
        self._dates: Kept[None, tuple[str, ...]] = Kept(dates_ttl)

    def published(self, day: str) -> None:
        """`day` was published: what was kept of it, and the list of dates, are gone."""
        self._dates.forget()
        if self.cache is not None:
            self.cache.forget(day)

    async def dates(self) -> list[str]:
        """Published dates within retention, newest first. Every answer with day-before/after
        buttons asks, and the list changes once a day: with `dates_ttl` it is kept (core/store/
        kept.py: read once for all the callers in flight, refreshed behind them)."""
        if not self.dates_ttl:
            return list(await self.read_dates())
        return list(await self._dates.get(None, self.read_dates))

    async def read_dates(self) -> tuple[str, ...]:
        """The published dates as Redis has them now."""
        raw = await self.redis.zrangebyscore(self.keys.dates, f"({time.time() - self.ttl}", "+inf")
        return tuple(sorted((as_text(d) for d in raw), reverse=True))

    async def is_ready(self, day: str) -> bool:
        return await self.redis.zscore(self.keys.dates, day) is not None

    async def langs(self, day: str) -> list[str]:
        index = index_of(await self.redis.get(self.keys.day(day)))
        return index.langs if index else []

    async def sections(
        self, day: str, lang: str, wanted: Sequence[tuple[str, str]]
    ) -> list[Section | None]:
        """The sections (kind, category) of `day` in `lang`, None where there is none."""
        if not wanted:
            return []
        if self.cache is None:
            raws = await self.redis.mget([self.keys.section(day, lang, k, c) for k, c in wanted])
            return [_section_of(r) for r in raws]
        cache = self.cache
        ids = [(day, lang, k, c) for k, c in wanted]
        got = [cache.get(i) for i in ids]
        if missing := [i for i, s in zip(ids, got, strict=True) if s is None]:
            generation = cache.generation(day)
            raws = await self.redis.mget([self.keys.section(*i) for i in missing])
            read = dict(zip(missing, map(_section_of, raws), strict=True))
            for i, s in read.items():
                if s is not None:
                    cache.put(i, s, generation)
            got = [s if s is not None else read[i] for i, s in zip(ids, got, strict=True)]
        return got

    async def meta(self, day: str, lang: str) -> Digest | None:
        """The digest without its sections (kinds, counts, section ids, build info)."""
        return digest_of(await self.redis.get(self.keys.digest(day, lang)))

    async def digest(self, day: str, lang: str, fallback: bool = True) -> Digest | None:
        """The whole digest of `day`, in `lang` or (with `fallback`) a language it was built in."""
        meta = await self.meta(day, lang)
        if meta is None and fallback and (other := pick_lang(lang, await self.langs(day))):
            meta = await self.meta(day, other)
        if meta is None:
            return None
        found = await self.sections(day, meta.lang, section_ids(meta))
        meta.sections = [s for s in found if s is not None]
        return meta

    async def charts(self, day: str, names: Sequence[str]) -> dict[str, bytes]:
        """PNG charts by name ("papers", "papers-trend", …), those that exist."""
        if not names:
            return {}
        raws = await self.redis.mget([self.keys.chart(day, n) for n in names])
        return {n: bytes(r) for n, r in zip(names, raws, strict=True) if r is not None}


BLOCK_MS = 2_000  # a blocking read ends well before redis-py's 5 s socket timeout (redis-py 8)


async def follow_ready(
    redis: Redis[bytes], keys: Keys, on_ready: Callable[[str], object], block_ms: int = BLOCK_MS
) -> None:
    """Call `on_ready(date)` for each digest.ready event from now on (until cancelled). While
    Redis is away it waits and tries again; no event is missed, as it reads on from the last."""
    pos: bytes | str | None = None
    while True:
        try:
            if pos is None:
                last = await redis.xrevrange(keys.events, count=1)
                pos = last[0][0] if last else "0-0"
            got = await redis.xread({keys.events: pos}, block=block_ms, count=100)
        except (RedisError, OSError) as e:
            log.warning("following %s failed (%s); trying again shortly", keys.events, e)
            await asyncio.sleep(5.0)
            continue
        for _stream, entries in got or []:
            for entry_id, fields in entries:
                pos = entry_id
                if (day := ready_date(fields)) is not None:
                    on_ready(day)


__all__ = ["AsyncDayReader", "as_text", "follow_ready", "ready_date"]
