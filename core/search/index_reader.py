"""Reading the search index, synchronously (CLI) or with asyncio (web, bots): four round trips,
the ranking in between done by ranking.Plan. Readers never write.

The list of indexed days is read again only when the index's generation counter moved (looked
at no more than once a second: a new day shows in search a second after it is indexed), and, for
the same generation, a small cache keeps recent answers (a second page, a popular query) and a
larger one the terms' postings decoded (TERM_BYTES): a term asked again costs no read of its
shards, which is most of a query's work (words repeat across queries far more than queries do),
and so are the documents shown (DOC_BYTES), a day at a time.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import Counter, OrderedDict
from collections.abc import Mapping, Sequence

from redis import Redis
from redis.asyncio import Redis as AsyncRedis

from core.search.ranking import (
    NO_FILTERS,
    DaySet,
    Filters,
    Plan,
    SearchPage,
    TermPostings,
    term_postings,
)
from core.store.keys import Keys

CACHE_SIZE = 256
GEN_CHECK_S = 1.0
TERM_BYTES = 160 * 2**20  # decoded postings a reader keeps (a year of bench/web.py: ~105 MB)
DOC_BYTES = 160 * 2**20  # documents (JSON, < 1 kB each) kept, whole days at a time (~110 MB)
WARM_DAYS = 16  # days' documents read at once by warm() (~5 MB)
WARM_TERMS = 64  # words' postings read at once by warm(): queries are answered in between

NOWHERE = TermPostings.none()

log = logging.getLogger(__name__)


class _Base:
    def __init__(
        self, keys: Keys, retention_days: int, cache_size: int, term_bytes: int, doc_bytes: int
    ) -> None:
        self.keys = keys
        self.ttl = retention_days * 24 * 3600
        self._gen: bytes | None = None
        self._days: dict[str, tuple[float, int]] = {}
        self._set: DaySet | None = None
        self._set_until = 0.0  # when the oldest retained day leaves retention (epoch seconds)
        self._checked = 0.0  # when the generation counter was last read (monotonic)
        self._answers: OrderedDict[tuple[object, ...], SearchPage] = OrderedDict()
        self._cache_size = cache_size
        self._terms: OrderedDict[str, TermPostings] = OrderedDict()
        self._all_terms = False  # every indexed word is held (warm): one not held has no postings
        self._term_bytes = 0
        self._term_limit = term_bytes
        self._kept_days: OrderedDict[str, dict[bytes, bytes]] = OrderedDict()  # day -> n -> JSON
        self._kept_bytes = 0
        self._doc_limit = doc_bytes

    def _registry(self, gen: bytes | None, raw: Mapping[bytes, bytes] | None) -> None:
        if raw is not None:
            parsed = {k.decode(): json.loads(v) for k, v in raw.items()}
            self._days = {d: (float(v["published"]), int(v["docs"])) for d, v in parsed.items()}
            self._gen = gen
            self._set, self._set_until = None, 0.0
            self._forget()

    def _forget(self) -> None:
        """The index or the retained days changed: nothing decoded or answered still holds."""
        self._answers.clear()
        self._terms.clear()
        self._term_bytes = 0
        self._all_terms = False
        self._kept_days.clear()
        self._kept_bytes = 0

    def _retained(self) -> DaySet | None:
        now = time.time()
        if self._set is not None and now < self._set_until:
            return self._set
        cutoff = now - self.ttl
        kept = {d: n for d, (t, n) in self._days.items() if t >= cutoff}
        if not kept:
            return None
        if self._set is None or self._set.days != kept:
            self._set = DaySet(kept, complete=len(kept) == len(self._days))
            self._forget()
        self._set_until = min(t for t, _ in self._days.values() if t >= cutoff) + self.ttl
        return self._set

    def _held(self, plan: Plan) -> tuple[list[TermPostings | None], list[str]]:
        """The query's terms as decoded already (None where not), and the ones to read."""
        held = []
        for t in plan.terms:
            found = self._terms.get(t)
            if found is not None:
                self._terms.move_to_end(t)
            elif self._all_terms:
                found = NOWHERE
            held.append(found)
        return held, [t for t, h in zip(plan.terms, held, strict=True) if h is None]

    def _hold(
        self,
        held: list[TermPostings | None],
        missing: list[str],
        blobs: Sequence[bytes | None],
        days: DaySet,
        make_room: bool = True,
    ) -> list[TermPostings]:
        """`held` completed with the `missing` terms decoded from `blobs`, which are kept
        while they fit in the reader's budget (`make_room`: the least recently used dropped
        first to let them in; else only into the room left)."""
        fresh = dict(zip(missing, term_postings(blobs, days, len(missing)), strict=True))
        for term, postings in fresh.items():
            room = self._term_limit - self._term_bytes
            if self._term_limit and postings.nbytes <= (
                self._term_limit // 4 if make_room else room
            ):
                self._terms[term] = postings
                self._term_bytes += postings.nbytes
        while self._term_bytes > self._term_limit and self._terms:
            self._term_bytes -= self._terms.popitem(last=False)[1].nbytes
        it = iter(fresh.values())
        return [h if h is not None else next(it) for h in held]

    def _days_to_read(self, wanted: Mapping[str, list[str]]) -> list[str]:
        """Of the days `wanted` (Plan.doc_fields) has documents of, those not kept."""
        return [day for day in wanted if day not in self._kept_days]

    def _docs(
        self, wanted: Mapping[str, list[str]], read: Mapping[str, Mapping[bytes, bytes]]
    ) -> dict[str, list[bytes | None]]:
        """`wanted`'s documents from the kept days and the days just `read` (every document of
        each), which are kept in turn, the least recently used day dropped first beyond the
        reader's budget: a year's documents are about 50 MB, so a busy site soon holds them
        all and shows a page of hits without asking Redis."""
        for day, docs in read.items():
            self._kept_days[day] = dict(docs)
            self._kept_bytes += sum(len(k) + len(v) for k, v in docs.items())
        while self._kept_bytes > self._doc_limit and self._kept_days:
            _, docs = self._kept_days.popitem(last=False)
            self._kept_bytes -= sum(len(k) + len(v) for k, v in docs.items())
        out: dict[str, list[bytes | None]] = {}
        for day, fields in wanted.items():
            docs = self._kept_days.get(day) or read.get(day) or {}
            out[day] = [docs.get(n.encode()) for n in fields]
            if day in self._kept_days:
                self._kept_days.move_to_end(day)
        return out

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
        term_bytes: int = TERM_BYTES,
        doc_bytes: int = DOC_BYTES,
        keep_warm: bool = False,
    ) -> None:
        """`keep_warm` (the web site): after every change of the index, `warm()` runs behind
        the queries."""
        super().__init__(keys, retention_days, cache_size, term_bytes, doc_bytes)
        self.redis = redis
        self.keep_warm = keep_warm
        self._warming: asyncio.Task[int] | None = None

    async def _check(self) -> bool:
        """Read the list of days again if the index moved since, or none is held yet; True if
        the index moved (an empty index read again is not news: nothing to warm)."""
        self._checked = time.monotonic()  # first: queries meanwhile do not read it too
        gen = await self.redis.get(self.keys.search_gen)
        if gen == self._gen and self._days:
            return False
        moved = gen != self._gen
        self._registry(gen, await self.redis.hgetall(self.keys.search_days))
        return moved

    async def warm(self) -> int:
        """Read the index into memory ahead of the queries, while it fits the budgets: every
        retained day's documents, then the postings of the words found on the most days first;
        returns how many words it holds. Without it each word's first query after a start or a
        new day (which clears what is kept) waits a round trip to Redis: at 50 requests in
        flight, a whole turn of the event loop more (the tail of bench/web.py). It stops when
        the index changes meanwhile: that change warms it again."""
        if not self._days:
            await self._check()
        days = self._retained()
        if days is None:
            return 0
        gen = self._gen

        def moved() -> bool:
            return self._gen != gen or self._set is not days

        unkept = [day for day in days.days if day not in self._kept_days]
        for at in range(0, len(unkept), WARM_DAYS):
            chunk = unkept[at : at + WARM_DAYS]
            async with self.redis.pipeline(transaction=False) as pipe:
                for day in chunk:
                    pipe.hgetall(self.keys.search_docs(day))
                read = await pipe.execute()
            if moved():
                return 0
            self._docs({}, dict(zip(chunk, read, strict=True)))
            if self._kept_bytes >= self._doc_limit:
                break
        lists = await self.redis.mget([self.keys.search_terms(day) for day in days.days])
        if moved():
            return 0
        often = Counter(t for raw in lists if raw for t in raw.decode().split("\n"))
        words = [t for t, _ in often.most_common() if t not in self._terms]
        done = 0
        for at in range(0, len(words), WARM_TERMS):
            chunk = words[at : at + WARM_TERMS]
            keys = [self.keys.search_postings(m, t) for t in chunk for m in days.months]
            blobs = await self.redis.mget(keys)
            if moved():
                return done
            self._hold([None] * len(chunk), chunk, blobs, days, make_room=False)
            if any(t not in self._terms for t in chunk):
                return done  # out of room: the rest is read when a query asks
            done += len(chunk)
        # every word the retained days hold is here (none was dropped for room: the budget was
        # not reached), so a word not held has no postings
        self._all_terms = (
            days.complete
            and all(raw is not None for raw in lists)  # no day's list of words expired early
            and all(t in self._terms for t in often)
        )
        return done

    def _warm_behind(self) -> None:
        if self._warming is not None:
            self._warming.cancel()
        self._warming = asyncio.create_task(self.warm())
        self._warming.add_done_callback(_warmed)

    async def search(
        self, text: str, filters: Filters = NO_FILTERS, page: int = 1, per_page: int = 10
    ) -> SearchPage:
        plan = Plan(text, filters, page, per_page)
        if not plan.terms:
            return plan.empty()
        due = time.monotonic() - self._checked > GEN_CHECK_S or not self._days
        if due and await self._check() and self.keep_warm:
            self._warm_behind()
        key = (plan.text, filters, plan.page, plan.per_page)
        if (hit := self._cached(key)) is not None:
            return hit
        days = self._retained()
        if days is None:
            return plan.empty()
        held, unread = self._held(plan)
        blobs = await self.redis.mget(plan.shard_keys(self.keys, days, unread)) if unread else []
        ranked = plan.rank_terms(self._hold(held, unread, blobs, days), days)
        wanted = plan.doc_fields(ranked)
        unkept = self._days_to_read(wanted)
        read = {}
        if unkept:
            async with self.redis.pipeline(transaction=False) as pipe:
                for day in unkept:
                    pipe.hgetall(self.keys.search_docs(day))
                read = dict(zip(unkept, await pipe.execute(), strict=True))
        return self._keep(key, plan.result(ranked, self._docs(wanted, read)))


def _warmed(task: asyncio.Task[int]) -> None:
    if not task.cancelled() and (e := task.exception()) is not None:
        log.warning("warming the search index failed: %s: %s", type(e).__name__, e)


class SyncSearchReader(_Base):
    """The index on a synchronous client (decode_responses=False), for the CLI: one query a
    process, so nothing is kept between queries."""

    def __init__(
        self,
        redis: Redis[bytes],
        keys: Keys,
        retention_days: int = 365,
        cache_size: int = 0,
    ) -> None:
        super().__init__(keys, retention_days, cache_size, term_bytes=0, doc_bytes=0)
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
