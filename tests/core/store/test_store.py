"""The Redis store on a real Redis: a day written whole (core/store/writer.py), read in pieces
(core/store/sync_reader.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from redis import Redis
from redis.client import Pipeline

from core import demo
from core.pipeline import BuiltDay
from core.store.keys import Keys
from core.store.sync_reader import DayReader
from core.store.writer import save_day

DAY = demo.DEMO_DATE.isoformat()
RETENTION_DAYS = 3


class Store(DayReader):
    """The reader with the writer beside it: what these tests publish, they read back."""

    def save_day(self, built: BuiltDay, pipeline: Pipeline[bytes] | None = None) -> None:
        save_day(self.redis, self.keys, built, RETENTION_DAYS, pipeline=pipeline)


@pytest.fixture
def built(demo_day: BuiltDay) -> BuiltDay:
    return demo_day


@pytest.fixture
def redis(redis_db: Redis[bytes]) -> Redis[bytes]:
    return redis_db


@pytest.fixture
def store(redis: Redis[bytes]) -> Store:
    return Store(redis, Keys("t"), RETENTION_DAYS)


def test_a_saved_day_reads_back_whole_and_in_pieces(store: Store, built: BuiltDay) -> None:
    store.save_day(built)
    assert store.dates() == [DAY] and store.latest() == DAY
    assert store.langs(DAY) == list(built.digests) == ["en", "ko"]
    for lang, digest in built.digests.items():
        assert store.digest(DAY, lang) == digest
        for s in digest.sections:
            assert store.section(DAY, lang, s.kind, s.category) == s
    assert store.chart(DAY, "papers") == built.charts["papers"]
    assert store.chart(DAY, "papers", trend=True) == built.charts["papers-trend"]
    assert store.chart(DAY, "news", trend=True) is None  # no earlier news days
    [(_, event)] = store.events()
    assert event == {"type": "digest.ready", "date": DAY, "langs": "en,ko"}


def test_what_was_not_built_reads_as_none(store: Store, built: BuiltDay) -> None:
    assert store.dates() == [] and store.latest() is None and store.digest(DAY, "ko") is None
    store.save_day(built.__class__(date=DAY, digests={"en": built.digests["en"]}, charts={}))
    assert store.section(DAY, "en", "papers", "no-such-category") is None
    assert store.section(DAY, "ko", "papers", "llm") is None
    assert store.digest(DAY, "ko", fallback=False) is None
    fallback = store.digest(DAY, "ko")
    assert fallback is not None and fallback.lang == "en"  # the language that was built
    assert store.chart(DAY, "papers") is None


def test_every_key_of_a_day_expires_after_the_retention(
    redis: Redis[bytes], store: Store, built: BuiltDay
) -> None:
    store.save_day(built)
    keys = [k for k in redis.keys("t:*") if k not in (b"t:dates", b"t:events")]
    # per language a digest and its sections, the charts, the day index and the item list
    assert len(keys) == 2 * (1 + len(built.digests["ko"].sections)) + len(built.charts) + 2
    assert b"t:items:" + DAY.encode() in keys
    ttl = RETENTION_DAYS * 24 * 3600
    assert all(ttl - 60 < redis.ttl(k) <= ttl for k in keys)
    # a date published longer ago than the retention is not listed, and goes at the next save
    old = redis.zscore("t:dates", DAY)
    assert old is not None
    redis.zadd("t:dates", {"2020-01-01": old - ttl - 1})
    assert store.dates() == [DAY]
    store.save_day(built)
    assert redis.zrange("t:dates", 0, -1) == [DAY.encode()]


def test_a_second_publish_leaves_nothing_of_the_first(
    redis: Redis[bytes], store: Store, built: BuiltDay
) -> None:
    store.save_day(built)
    ko = built.digests["ko"]
    dropped = ko.sections[-1]
    smaller = ko.model_copy(update={"sections": ko.sections[:-1]})
    store.save_day(BuiltDay(date=DAY, digests={"ko": smaller}, charts={"news": b"png"}))
    assert store.section(DAY, "ko", dropped.kind, dropped.category) is None
    assert store.digest(DAY, "en", fallback=False) is None
    assert store.chart(DAY, "papers") is None and store.chart(DAY, "news") == b"png"
    got = store.digest(DAY, "ko")
    assert got is not None and got.sections == smaller.sections
    assert len(store.events()) == 2


def test_a_save_joins_the_callers_transaction(
    redis: Redis[bytes], store: Store, built: BuiltDay
) -> None:
    with redis.pipeline(transaction=True) as pipe:
        pipe.multi()
        store.save_day(built, pipeline=pipe)
        pipe.set("t:marker", b"1")
        assert redis.keys("t:*") == []  # queued, not written
        pipe.execute()
    assert store.dates() == [DAY] and redis.get("t:marker") == b"1"


def test_history_gives_the_counts_of_the_days_before(store: Store, built: BuiltDay) -> None:
    store.save_day(built)
    later = demo.DEMO_DATE + timedelta(days=2)
    history = store.history(later)
    papers = built.digests["ko"].kinds["papers"]
    assert history == {
        DAY: {k: kd.counts for k, kd in built.digests["en"].kinds.items() if kd.total}
    }
    assert history[DAY]["papers"] == papers.counts
    assert store.history(demo.DEMO_DATE) == {}  # only days before
    assert store.history(date(2024, 10, 20)) == {}  # only the last six
