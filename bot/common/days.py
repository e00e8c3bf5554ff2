"""Published days, read with asyncio: core.store.Store's layout and keys, on redis.asyncio.

core.store is synchronous (workers and the CLI); the bots answer many commands at once on one
event loop, so they read the same keys without blocking it. The client must be created with
decode_responses=False (charts are bytes). Reads are one round trip each.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence

from redis.asyncio import Redis
from redis.exceptions import RedisError

from core.digest import Digest, Section
from core.store import READY, DayIndex, Store


class DayReader:
    def __init__(self, redis: Redis[bytes], store: Store) -> None:
        self.redis = redis
        self.store = store  # only for its key names and retention

    async def dates(self) -> list[str]:
        """Published dates within retention, newest first."""
        raw = await self.redis.zrangebyscore(
            self.store.dates_key, f"({time.time() - self.store.ttl}", "+inf"
        )
        return sorted((_text(d) for d in raw), reverse=True)

    async def is_ready(self, day: str) -> bool:
        return await self.redis.zscore(self.store.dates_key, day) is not None

    async def langs(self, day: str) -> list[str]:
        index = await self.redis.get(self.store.day_key(day))
        return [] if index is None else DayIndex.model_validate_json(index).langs

    async def sections(
        self, day: str, lang: str, wanted: Sequence[tuple[str, str]]
    ) -> list[Section | None]:
        """The sections (kind, category) of `day` in `lang`, None where there is none."""
        if not wanted:
            return []
        raws = await self.redis.mget([self.store.section_key(day, lang, k, c) for k, c in wanted])
        return [None if r is None else Section.model_validate_json(r) for r in raws]

    async def meta(self, day: str, lang: str) -> Digest | None:
        """The digest without its sections (kinds, counts, section ids, build info)."""
        raw = await self.redis.get(self.store.digest_key(day, lang))
        return None if raw is None else Digest.model_validate_json(raw)

    async def digest(self, day: str, lang: str, fallback: bool = True) -> Digest | None:
        """The whole digest of `day`, in `lang` or (with `fallback`) a language it was built in."""
        meta = await self.meta(day, lang)
        if meta is None and fallback:
            for other in await self.langs(day):
                if (meta := await self.meta(day, other)) is not None:
                    break
        if meta is None:
            return None
        wanted = [(k, c) for k, kd in meta.kinds.items() for c in dict.fromkeys(kd.sections)]
        found = await self.sections(day, meta.lang, wanted)
        meta.sections = [s for s in found if s is not None]
        return meta

    async def charts(self, day: str, names: Sequence[str]) -> dict[str, bytes]:
        """PNG charts by name ("papers", "papers-trend", …), those that exist."""
        if not names:
            return {}
        raws = await self.redis.mget([self.store.chart_key(day, n) for n in names])
        return {n: bytes(r) for n, r in zip(names, raws, strict=True) if r is not None}

    @property
    def events_key(self) -> str:
        return self.store.events_key


async def follow_ready(
    redis: Redis[bytes], events_key: str, on_ready: Callable[[str], object], block_ms: int = 10_000
) -> None:
    """Call `on_ready(date)` for each digest.ready event from now on (until cancelled)."""
    pos: bytes | str | None = None
    while True:
        try:
            if pos is None:
                last = await redis.xrevrange(events_key, count=1)
                pos = last[0][0] if last else "0-0"
            got = await redis.xread({events_key: pos}, block=block_ms)
        except (ConnectionError, TimeoutError, RedisError):
            await asyncio.sleep(5.0)  # Redis is away; answers expire on their own meanwhile
            continue
        for _stream, entries in got or []:
            for entry_id, fields in entries:
                pos = entry_id
                if (day := ready_date(fields)) is not None:
                    on_ready(day)


def ready_date(fields: dict[bytes | str, bytes | str]) -> str | None:
    """The date of a digest.ready stream entry, None for other entries."""
    got = {_text(k): _text(v) for k, v in fields.items()}
    return got.get("date") if got.get("type") == READY else None


def _text(v: bytes | str) -> str:
    return v.decode() if isinstance(v, bytes) else v
