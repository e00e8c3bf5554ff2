"""Reading the search index, synchronously (CLI) or with asyncio (web, bots): four round trips,
the ranking in between done by ranking.Plan. Readers never write.

The list of indexed days is read again only when the index's generation counter moved (looked
at no more than once a second: a new day shows in search a second after it is indexed), and a
small cache keeps recent answers for the same generation (a second page, a popular query).
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from collections.abc import Mapping

from redis import Redis
from redis.asyncio import Redis as AsyncRedis

from core.search.ranking import NO_FILTERS, DaySet, Filters, Plan, SearchPage
from core.store.keys import Keys

CACHE_SIZE = 256
GEN_CHECK_S = 1.0


class _Base:
    def __init__(self, keys: Keys, retention_days: int, cache_size: int) -> None:
        self.keys = keys
        self.ttl = retention_days * 24 * 3600
        self._gen: bytes | None = None
        self._days: dict[str, tuple[float, int]] = {}
        self._set: DaySet | None = None
        self._checked = 0.0  # when the generation counter was last read (monotonic)
        self._answers: OrderedDict[tuple[object, ...], SearchPage] = OrderedDict()
        self._cache_size = cache_size

    def _registry(self, gen: bytes | None, raw: Mapping[bytes, bytes] | None) -> None:
        if raw is not None:
            parsed = {k.decode(): json.loads(v) for k, v in raw.items()}
            self._days = {d: (float(v["published"]), int(v["docs"])) for d, v in parsed.items()}
            self._gen = gen
            self._answers.clear()

    def _retained(self) -> DaySet | None:
        cutoff = time.time() - self.ttl
        kept = {d: n for d, (t, n) in self._days.items() if t >= cutoff}
        if not kept:
            return None
        if self._set is None or self._set.days != kept:
            self._set = DaySet(kept, complete=len(kept) == len(self._days))
        return self._set

    def _cached(self, key: tuple[object, ...]) -> SearchPage | None:
        page = self._answers.get(key)
        if page is not None:
            self._answers.move_to_end(key)
        return page

    def _keep(self, key: tuple[object, ...], page: SearchPage) -> SearchPage:
        if self._cache_size:
            self._answers[key] = page
            if len(self._answers) > self._cache_size:
                self._answers.popitem(last=False)
        return page


class SearchReader(_Base):
    """The index on redis.asyncio (decode_responses=False)."""

    def __init__(
        self,
        redis: AsyncRedis[bytes],
        keys: Keys,
        retention_days: int = 365,
        cache_size: int = CACHE_SIZE,
    ) -> None:
        super().__init__(keys, retention_days, cache_size)
        self.redis = redis

    async def search(
        self, text: str, filters: Filters = NO_FILTERS, page: int = 1, per_page: int = 10
    ) -> SearchPage:
        plan = Plan(text, filters, page, per_page)
        if not plan.terms:
            return plan.empty()
        if time.monotonic() - self._checked > GEN_CHECK_S or not self._days:
            gen = await self.redis.get(self.keys.search_gen)
            self._checked = time.monotonic()
            if gen != self._gen or not self._days:
                self._registry(gen, await self.redis.hgetall(self.keys.search_days))
        key = (plan.text, filters, plan.page, plan.per_page)
        if (hit := self._cached(key)) is not None:
            return hit
        days = self._retained()
        if days is None:
            return plan.empty()
        ranked = plan.rank(await self.redis.mget(plan.shard_keys(self.keys, days)), days)
        wanted = plan.doc_fields(ranked)
        docs = {}
        if wanted:
            async with self.redis.pipeline(transaction=False) as pipe:
                for day, fields in wanted.items():
                    pipe.hmget(self.keys.search_docs(day), fields)
                docs = dict(zip(wanted, await pipe.execute(), strict=True))
        return self._keep(key, plan.result(ranked, docs))


class SyncSearchReader(_Base):
    """The index on a synchronous client (decode_responses=False), for the CLI."""

    def __init__(
        self,
        redis: Redis[bytes],
        keys: Keys,
        retention_days: int = 365,
        cache_size: int = 0,
    ) -> None:
        super().__init__(keys, retention_days, cache_size)
        self.redis = redis

    def search(
        self, text: str, filters: Filters = NO_FILTERS, page: int = 1, per_page: int = 10
    ) -> SearchPage:
        plan = Plan(text, filters, page, per_page)
        if not plan.terms:
            return plan.empty()
        gen = self.redis.get(self.keys.search_gen)
        if gen != self._gen or not self._days:
            self._registry(gen, self.redis.hgetall(self.keys.search_days))
        days = self._retained()
        if days is None:
            return plan.empty()
        ranked = plan.rank(self.redis.mget(plan.shard_keys(self.keys, days)), days)
        wanted = plan.doc_fields(ranked)
        docs = {}
        if wanted:
            with self.redis.pipeline(transaction=False) as pipe:
                for day, fields in wanted.items():
                    pipe.hmget(self.keys.search_docs(day), fields)
                docs = dict(zip(wanted, pipe.execute(), strict=True))
        return plan.result(ranked, docs)


__all__ = ["SearchReader", "SyncSearchReader"]
