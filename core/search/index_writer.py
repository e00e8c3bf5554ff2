"""Writing the search index: a published day's documents in, a replaced or expired day out.

`index_day` is called after a day is published (the publish job, `aidigest build` with Redis).
A day indexed for the first time appends its postings (APPEND is atomic, and a watched read of
the day's term list makes a concurrent indexer of the same day retry); a day indexed again has
its old postings taken out of every shard it wrote and the new ones put in, in one MULTI/EXEC
over watched shards, retried if another day's indexer touched them meanwhile. Readers see the
old day or the new one, never a mix. Days past retention are taken out the same way.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from redis import Redis, WatchError
from redis.client import Pipeline

from core.search.documents import Doc, day_code, documents
from core.search.postings import RECORD, build, unpack, without_day
from core.store.keys import Keys

if TYPE_CHECKING:  # the pipeline imports matplotlib; the index needs none of it
    from core.pipeline import BuiltDay

MAX_TRIES = 20  # watched writes retried when another indexer touched the same shards


class SearchWriter:
    def __init__(self, redis: Redis[bytes], keys: Keys, retention_days: int = 365) -> None:
        self.redis = redis
        self.keys = keys
        self.ttl = retention_days * 24 * 3600

    def index_built(self, built: BuiltDay) -> int:
        """Index a built day (its items, labels and digests); returns its number of documents."""
        docs = documents(built.items, built.labels, built.digests.values(), built.rows)
        self.index_day(built.date, docs)
        return len(docs)

    def index_day(self, day: str, docs: Sequence[Doc], now: float | None = None) -> None:
        """Put `day`'s documents in the index, replacing what an earlier index of it wrote."""
        now = time.time() if now is None else now
        postings, avgdl = build(day, docs)
        info = json.dumps({"published": now, "docs": len(docs), "avgdl": round(avgdl, 2)})
        for _ in range(MAX_TRIES):
            try:
                self._write(day, docs, postings, info)
                break
            except WatchError:
                continue
        else:
            raise RuntimeError(f"search index of {day}: shards kept changing, gave up")
        self.purge(now)

    def remove_day(self, day: str) -> None:
        for _ in range(MAX_TRIES):
            try:
                self._write(day, [], {}, None)
                return
            except WatchError:
                continue
        raise RuntimeError(f"search index of {day}: shards kept changing, gave up")

    def purge(self, now: float | None = None) -> list[str]:
        """Take out the days last indexed more than retention ago; returns them."""
        cutoff = (time.time() if now is None else now) - self.ttl
        expired = [
            day.decode()
            for day, raw in self.redis.hgetall(self.keys.search_days).items()
            if json.loads(raw)["published"] < cutoff
        ]
        for day in expired:
            self.remove_day(day)
        return expired

    def _write(
        self, day: str, docs: Sequence[Doc], postings: dict[str, bytes], info: str | None
    ) -> None:
        k, month = self.keys, day[:7]
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.watch(k.search_terms(day))
            raw_old: Any = pipe.get(k.search_terms(day))  # immediate while watching
            old = raw_old.decode().split("\n") if raw_old else []
            if old:  # replace: rewrite every shard the day wrote or will write
                terms = list(dict.fromkeys([*old, *postings]))
                shard_keys = [k.search_postings(month, t) for t in terms]
                pipe.watch(*shard_keys)
                current: Any = pipe.mget(shard_keys)
                pipe.multi()
                code = day_code(day)
                for key, term, raw in zip(shard_keys, terms, current, strict=True):
                    kept = without_day(unpack(raw), code)
                    new = postings.get(term)
                    if new is not None:
                        kept = np.concatenate([kept, np.frombuffer(new, dtype=RECORD)])
                    if len(kept):
                        pipe.set(key, kept.tobytes(), ex=self.ttl)
                    else:
                        pipe.delete(key)
            else:
                pipe.multi()
                for term, packed in postings.items():
                    key = k.search_postings(month, term)
                    pipe.append(key, packed)
                    pipe.expire(key, self.ttl)
            self._day_keys(pipe, day, docs, postings, info)
            pipe.execute()

    def _day_keys(
        self,
        pipe: Pipeline[bytes],
        day: str,
        docs: Sequence[Doc],
        postings: dict[str, bytes],
        info: str | None,
    ) -> None:
        k = self.keys
        pipe.delete(k.search_docs(day), k.search_terms(day))
        if info is None:
            pipe.hdel(k.search_days, day)
        else:
            if docs:
                pipe.hset(
                    k.search_docs(day),
                    mapping={str(d.n): json.dumps(d.stored(), ensure_ascii=False) for d in docs},
                )
            pipe.expire(k.search_docs(day), self.ttl)
            pipe.set(k.search_terms(day), "\n".join(postings), ex=self.ttl)
            pipe.hset(k.search_days, day, info)
        pipe.incr(k.search_gen)


__all__ = ["SearchWriter"]
