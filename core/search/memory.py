"""The search index in memory, for a site with no Redis (`aidigest demo --serve`) and for tests:
the same documents, postings and ranking as the Redis index, the shards held in a dict."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from core.search.documents import documents
from core.search.postings import build
from core.search.ranking import NO_FILTERS, DaySet, Filters, Plan, SearchPage
from core.store.keys import Keys

if TYPE_CHECKING:
    from core.pipeline import BuiltDay


class MemorySearch:
    def __init__(self, days: Iterable[BuiltDay]) -> None:
        self.keys = Keys("memory")
        self._shards: dict[str, bytes] = {}
        self._docs: dict[str, dict[str, bytes]] = {}
        self._sizes: dict[str, int] = {}
        for built in days:
            docs = documents(built.items, built.labels, built.digests.values(), built.rows)
            postings, _ = build(built.date, docs)
            for term, packed in postings.items():
                key = self.keys.search_postings(built.date[:7], term)
                self._shards[key] = self._shards.get(key, b"") + packed
            self._docs[built.date] = {
                str(d.n): json.dumps(d.stored(), ensure_ascii=False).encode() for d in docs
            }
            self._sizes[built.date] = len(docs)

    async def search(
        self, text: str, filters: Filters = NO_FILTERS, page: int = 1, per_page: int = 10
    ) -> SearchPage:
        plan = Plan(text, filters, page, per_page)
        if not plan.terms or not self._sizes:
            return plan.empty()
        days = DaySet(self._sizes)
        ranked = plan.rank([self._shards.get(k) for k in plan.shard_keys(self.keys, days)], days)
        docs = {
            day: [self._docs[day].get(n) for n in fields]
            for day, fields in plan.doc_fields(ranked).items()
        }
        return plan.result(ranked, docs)


__all__ = ["MemorySearch"]
