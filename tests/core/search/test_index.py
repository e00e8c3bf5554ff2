"""The search index on a real Redis: built from a day, ranked, filtered, paged, replaced when
the day is published again, gone after retention; the in-memory index answers the same."""

from __future__ import annotations

import asyncio
import copy
import time
from datetime import date

from pytest import MonkeyPatch
from redis import Redis
from redis.asyncio import Redis as AsyncRedis

from core.items import Item
from core.pipeline import BuiltDay
from core.search import Filters, SearchReader, SearchWriter, SyncSearchReader, index_reader
from core.search.documents import documents
from core.search.memory import MemorySearch
from core.store.keys import Keys
from tests.days import redate


def test_a_day_is_indexed_and_found_in_both_languages(
    redis_db: Redis[bytes], demo_day: BuiltDay
) -> None:
    n = SearchWriter(redis_db, Keys()).index_built(demo_day)
    about_ai = {r.id for r in demo_day.rows if r.category is not None}  # items.jsonl
    cited = {r.item_id for d in demo_day.digests.values() for s in d.sections for r in s.sources}
    assert len(cited) < len(about_ai)  # items past a section's cap and in Others are found too
    assert n == len(about_ai) + sum(len(d.sections) for d in demo_day.digests.values())
    search = SyncSearchReader(redis_db, Keys())
    ko = search.search("에이전트")
    assert ko.total > 0 and all(h.date == "2024-10-04" for h in ko.hits)
    assert any("에이전트" in t for h in ko.hits for t, m in h.snippet if m)
    en = search.search("diffusion")
    assert en.hits[0].score >= en.hits[-1].score
    titles = [h.title for h in en.hits]
    assert any("Diffusion" in t for t in titles)
    item = next(h for h in en.hits if not h.is_section)
    assert item.url.startswith("https://") and item.source


def test_every_word_of_a_query_ranks_above_some_words(
    redis_db: Redis[bytes], demo_day: BuiltDay
) -> None:
    SearchWriter(redis_db, Keys()).index_built(demo_day)
    hits = SyncSearchReader(redis_db, Keys()).search("robot motion planning diffusion").hits
    assert hits[0].title == "Multi-Robot Motion Planning with Diffusion Models"


def test_filters_by_kind_category_and_language(redis_db: Redis[bytes], demo_day: BuiltDay) -> None:
    SearchWriter(redis_db, Keys()).index_built(demo_day)
    search = SyncSearchReader(redis_db, Keys())
    papers = search.search("model", Filters(kind="papers"), per_page=50)
    assert papers.hits and {h.kind for h in papers.hits} == {"papers"}
    llm = search.search("model", Filters(category="llm"), per_page=50)
    assert llm.hits and {h.category for h in llm.hits} == {"llm"}
    en = search.search("model", Filters(lang="en"), per_page=50)
    assert {h.lang for h in en.hits} <= {"", "en"} and any(h.lang == "en" for h in en.hits)
    assert search.search("model").total > en.total


def test_pages_partition_the_ranking(redis_db: Redis[bytes], demo_day: BuiltDay) -> None:
    SearchWriter(redis_db, Keys()).index_built(demo_day)
    search = SyncSearchReader(redis_db, Keys())
    whole = search.search("learning", per_page=30)
    pages = [search.search("learning", page=p, per_page=10) for p in (1, 2, 3)]
    assert [h.title for p in pages for h in p.hits] == [h.title for h in whole.hits]
    assert pages[0].pages == -(-whole.total // 10)


def test_republishing_a_day_replaces_its_entries(
    redis_db: Redis[bytes], demo_day: BuiltDay
) -> None:
    writer, search = SearchWriter(redis_db, Keys()), SyncSearchReader(redis_db, Keys())
    writer.index_built(demo_day)
    writer.index_built(redate(demo_day, date(2024, 10, 5)))
    before = search.search("diffusion", per_page=50).total
    changed = copy.deepcopy(demo_day)
    for d in changed.digests.values():
        d.sections = d.sections[:1]
    cited = next(iter(changed.digests.values())).sections[0].sources[0].item_id
    target = next(i for i in changed.items if i.id == cited)
    changed.items = [target.model_copy(update={"title": "Zyxwvut quantum teapot"})]
    changed.rows = []  # the day stores only that item now
    writer.index_built(changed)
    assert search.search("zyxwvut").total == 1
    old_title = search.search(target.title, per_page=50).hits
    assert (target.title, "2024-10-05") in {(h.title, h.date) for h in old_title}
    assert (target.title, "2024-10-04") not in {(h.title, h.date) for h in old_title}  # gone
    after = search.search("diffusion", per_page=50)
    kept = {"Zyxwvut quantum teapot"} | {d.sections[0].name for d in changed.digests.values()}
    assert after.total < before
    assert {h.title for h in after.hits if h.date == "2024-10-04"} <= kept
    keys = Keys()
    terms = redis_db.get(keys.search_terms("2024-10-04"))
    assert terms is not None and b"zyxwvut" in terms.split(b"\n")
    assert redis_db.hlen(keys.search_docs("2024-10-04")) == 1 + 2


def test_retention_takes_a_day_out(redis_db: Redis[bytes], demo_day: BuiltDay) -> None:
    writer = SearchWriter(redis_db, Keys(), retention_days=30)
    docs = documents(demo_day.items, demo_day.labels, demo_day.digests.values())
    writer.index_day("2024-10-04", docs, now=time.time() - 31 * 86400)
    writer.index_day("2024-10-05", docs[:5])  # this publish purges the expired day
    keys = Keys()
    assert redis_db.hkeys(keys.search_days) == [b"2024-10-05"]
    assert not redis_db.exists(keys.search_docs("2024-10-04"), keys.search_terms("2024-10-04"))
    search = SyncSearchReader(redis_db, Keys(), retention_days=30)
    assert {h.date for h in search.search("model", per_page=50).hits} == {"2024-10-05"}
    for key in redis_db.scan_iter(match=keys.search_postings("2024-10", "*")):
        assert redis_db.ttl(key) > 29 * 86400


def test_the_async_reader_and_memory_index_answer_like_the_sync_reader(
    redis_db: Redis[bytes], redis_url: str, demo_day: BuiltDay
) -> None:
    SearchWriter(redis_db, Keys()).index_built(demo_day)
    want = SyncSearchReader(redis_db, Keys()).search("에이전트 모델", page=2)

    async def read() -> list[str]:
        client: AsyncRedis[bytes] = AsyncRedis.from_url(redis_url)
        try:
            got = await SearchReader(client, Keys()).search("에이전트 모델", page=2)
            again = await SearchReader(client, Keys()).search("에이전트 모델", page=2)
            assert got == again
            return [h.title for h in got.hits]
        finally:
            await client.aclose()

    assert asyncio.run(read()) == [h.title for h in want.hits]
    memory = asyncio.run(MemorySearch([demo_day]).search("에이전트 모델", page=2))
    assert [h.title for h in memory.hits] == [h.title for h in want.hits]
    assert memory.total == want.total


def test_a_query_of_stop_words_or_nothing_finds_nothing(
    redis_db: Redis[bytes], demo_day: BuiltDay
) -> None:
    SearchWriter(redis_db, Keys()).index_built(demo_day)
    search = SyncSearchReader(redis_db, Keys())
    assert search.search("the of and").total == 0
    assert search.search("").hits == []
    assert search.search("x" * 5000).total == 0


def retitled(day: BuiltDay, prefix: str) -> tuple[BuiltDay, Item]:
    """`day` published again with only its first cited item, its title now led by `prefix`;
    and that item as it was."""
    changed = copy.deepcopy(day)
    cited = next(iter(changed.digests.values())).sections[0].sources[0].item_id
    target = next(i for i in changed.items if i.id == cited)
    changed.items = [target.model_copy(update={"title": f"{prefix} {target.title}"})]
    return changed, target


def test_the_async_reader_keeps_terms_and_documents_only_until_the_index_changes(
    redis_db: Redis[bytes], redis_url: str, demo_day: BuiltDay, monkeypatch: MonkeyPatch
) -> None:
    """The web process keeps decoded postings and shown documents between queries; a day
    published again must be searched as it is now, not as it was."""
    monkeypatch.setattr(index_reader, "GEN_CHECK_S", 0.0)
    writer = SearchWriter(redis_db, Keys())
    writer.index_built(demo_day)
    changed, target = retitled(demo_day, "Diffusion teapot")

    async def read() -> tuple[list[str], list[str], int]:
        client: AsyncRedis[bytes] = AsyncRedis.from_url(redis_url)
        try:
            reader = SearchReader(client, Keys(), cache_size=0)
            first = await reader.search("diffusion", per_page=50)
            assert reader._terms and reader._kept_days  # what a later query reuses
            kept = await reader.search("diffusion", per_page=50)
            assert [h.title for h in kept.hits] == [h.title for h in first.hits]
            writer.index_built(changed)
            after = await reader.search("diffusion", per_page=50)
            return [h.title for h in first.hits], [h.title for h in after.hits], after.total
        finally:
            await client.aclose()

    before, after, total = asyncio.run(read())
    assert after == [h.title for h in SyncSearchReader(redis_db, Keys()).search(
        "diffusion", per_page=50).hits]  # fmt: skip
    assert after != before and f"Diffusion teapot {target.title}" in after
    assert total < len(before)


def _unreachable() -> AsyncRedis[bytes]:
    """A client that fails on its first command: a reader given it must answer from memory."""
    return AsyncRedis(host="127.0.0.1", port=1, socket_connect_timeout=0.5)


def test_a_warmed_reader_answers_from_memory_even_for_words_the_index_lacks(
    redis_db: Redis[bytes], redis_url: str, demo_day: BuiltDay
) -> None:
    """warm() holds every retained day's documents and every indexed word's postings, so no
    query waits for Redis, and a word nowhere in the index is known to be nowhere."""
    SearchWriter(redis_db, Keys()).index_built(demo_day)
    expected = SyncSearchReader(redis_db, Keys()).search("diffusion", per_page=50)

    async def read() -> tuple[int, list[str], int]:
        client: AsyncRedis[bytes] = AsyncRedis.from_url(redis_url)
        try:
            reader = SearchReader(client, Keys(), cache_size=0)
            words = await reader.warm()
            reader.redis = _unreachable()  # the generation was just read: not asked for 1 s
            found = await reader.search("diffusion", per_page=50)
            nowhere = await reader.search("zyxwvutsrq", per_page=50)
            return words, [h.title for h in found.hits], nowhere.total
        finally:
            await client.aclose()

    words, titles, nowhere = asyncio.run(read())
    assert words > 100
    assert titles == [h.title for h in expected.hits] and titles
    assert nowhere == 0


def test_a_reader_short_of_room_warms_what_fits_and_reads_the_rest(
    redis_db: Redis[bytes], redis_url: str, demo_day: BuiltDay
) -> None:
    SearchWriter(redis_db, Keys()).index_built(demo_day)
    expected = SyncSearchReader(redis_db, Keys()).search("diffusion robot", per_page=50)

    async def read() -> tuple[int, int, list[str]]:
        client: AsyncRedis[bytes] = AsyncRedis.from_url(redis_url)
        try:
            full = SearchReader(client, Keys())
            every = await full.warm()
            half = full._term_bytes // 2
            reader = SearchReader(client, Keys(), cache_size=0, term_bytes=half)
            words = await reader.warm()
            found = await reader.search("diffusion robot", per_page=50)
            return every, words, [h.title for h in found.hits]
        finally:
            await client.aclose()

    every, words, titles = asyncio.run(read())
    assert 0 < words < every  # stopped at the budget
    assert titles == [h.title for h in expected.hits] and titles  # the others read from Redis


def test_a_reader_kept_warm_warms_again_behind_the_queries_when_a_day_is_indexed(
    redis_db: Redis[bytes], redis_url: str, demo_day: BuiltDay, monkeypatch: MonkeyPatch
) -> None:
    monkeypatch.setattr(index_reader, "GEN_CHECK_S", 0.0)
    writer = SearchWriter(redis_db, Keys())
    writer.index_built(demo_day)
    changed, target = retitled(demo_day, "Teapotology")

    async def read() -> tuple[int, list[str]]:
        client: AsyncRedis[bytes] = AsyncRedis.from_url(redis_url)
        try:
            reader = SearchReader(client, Keys(), cache_size=0, keep_warm=True)
            await reader.warm()
            before = (await reader.search("teapotology")).total
            writer.index_built(changed)
            await reader.search("diffusion")  # sees the new generation: warms behind
            assert reader._warming is not None
            await reader._warming
            index_reader.GEN_CHECK_S = 3600.0  # type: ignore[misc]  # monkeypatch restores it
            reader.redis = _unreachable()
            after = await reader.search("teapotology")
            return before, [h.title for h in after.hits]
        finally:
            await client.aclose()

    before, after = asyncio.run(read())
    assert before == 0
    assert after == [f"Teapotology {target.title}"]


def test_every_item_about_ai_is_found_and_none_judged_not_about_ai(
    redis_db: Redis[bytes], demo_day: BuiltDay
) -> None:
    SearchWriter(redis_db, Keys()).index_built(demo_day)
    search = SyncSearchReader(redis_db, Keys())
    cited = {r.item_id for d in demo_day.digests.values() for s in d.sections for r in s.sources}
    left = [i for i in demo_day.items if i.id not in cited]  # past a section's cap: its title
    not_ai = [r for r in demo_day.rows if r.left_out == "not-ai"]  # in items.jsonl only
    assert not_ai and left

    def found(title: str) -> list[str]:
        return [h.title for h in search.search(title, per_page=50).hits]

    for item in left[:5]:
        assert item.title in found(item.title), item.title
    for item in not_ai[:5]:
        assert item.title not in found(item.title), item.title
