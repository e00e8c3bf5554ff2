"""The answer cache: a rebuild of an unchanged day asks the model nothing, from files (the CLI)
or from Redis (workers), and only good answers are kept."""

from __future__ import annotations

import json
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from core.llm.cache import DiskCache, RedisCache, cache_key
from core.llm.factory import make_cache
from core.pipeline import SourceResult
from core.settings import Settings
from core.store.keys import Keys
from tests.core.llm.conftest import build, complete_report, engine_for
from tests.doubles.llm_server import LLMServer

TARGET = "Section: LLM (papers)"


def _sections(built) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.model_dump_json() for d in built.digests.values() for s in d.sections]


def test_a_rebuild_from_the_disk_cache_makes_no_call(
    server: LLMServer, settings: Settings, results: list[SourceResult]
) -> None:
    first = build(engine_for(settings), results, langs=("ko", "en"))
    calls = server.calls
    assert calls > 0
    assert len(list(Path(settings.openai.cache_dir).rglob("*.json"))) == calls
    again = engine_for(settings)  # a new engine, as the next run would make
    rebuilt = build(again, results, langs=("ko", "en"))
    assert server.calls == calls
    assert again.usage() == (0, 0)
    assert rebuilt.digests["ko"].build.llm_calls == 0
    assert _sections(rebuilt) == _sections(first)
    assert again.llm is not None and again.llm.stats()["cache_hits"] == calls
    complete_report(rebuilt)


def test_a_rebuild_from_redis_makes_no_call(
    server: LLMServer, settings: Settings, results: list[SourceResult], redis_db: redis.Redis
) -> None:
    settings.digest.key_prefix = "aidigest-test"
    first = build(engine_for(settings, redis=redis_db), results)
    calls = server.calls
    keys = redis_db.keys("aidigest-test:llm:*")
    assert len(keys) == calls > 0
    assert all(len(k.split(b":")[-1]) == 64 for k in keys)  # sha256 hex
    assert all(0 < redis_db.ttl(k) <= 14 * 24 * 3600 for k in keys)
    assert not Path(settings.openai.cache_dir).exists()  # Redis given: no files
    rebuilt = build(engine_for(settings, redis=redis_db), results)
    assert server.calls == calls and rebuilt.digests["ko"].build.llm_calls == 0
    assert _sections(rebuilt) == _sections(first)


def test_a_changed_day_asks_only_for_what_changed(
    server: LLMServer, settings: Settings, results: list[SourceResult]
) -> None:
    build(engine_for(settings), results)
    calls = server.calls
    build(engine_for(settings), results, langs=("ko", "en"))  # en is new; ko is cached
    en_sections = len(build(engine_for(settings), results, langs=("en",)).digests["en"].sections)
    assert server.calls - calls == en_sections


def test_an_invalid_answer_is_not_cached(
    server: LLMServer, settings: Settings, results: list[SourceResult]
) -> None:
    server.add_fault("wrong_language", times=2, match=TARGET)  # the ask and its retry
    built = build(engine_for(settings), results)
    complete_report(built, fallback=[("papers", "llm")])
    calls = server.calls
    rebuilt = build(engine_for(settings), results)  # the model answers well now
    complete_report(rebuilt)
    assert server.calls == calls + 1  # only the section whose answers were rejected


def test_cache_keys_depend_on_meaning_not_spelling() -> None:
    messages = [{"role": "user", "content": "hello"}]
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    reordered = {"properties": {"a": {"type": "string"}}, "type": "object"}
    assert cache_key("m", messages, schema) == cache_key("m", messages, reordered)
    assert cache_key("m", messages, schema) != cache_key("other", messages, schema)
    assert cache_key("m", messages, schema) != cache_key(
        "m", [{"role": "user", "content": "hi"}], schema
    )


def test_disk_cache_round_trip_expiry_and_damage(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path, ttl=3600)
    key = "ab" + "0" * 62
    assert cache.get(key) is None
    cache.put(key, {"x": "한국어"})
    assert cache.get(key) == {"x": "한국어"}
    assert DiskCache(tmp_path, ttl=-1).get(key) is None  # stale
    cache.path(key).write_text("{not json", "utf-8")
    assert cache.get(key) is None  # a damaged entry is a miss, not a crash


def test_redis_cache_survives_a_dead_server(settings: Settings) -> None:
    dead = redis.Redis(host="127.0.0.1", port=1, retry=Retry(NoBackoff(), 0))
    cache = RedisCache(dead, Keys("p"))
    cache.put("k", {"a": "b"})  # logged, not raised
    assert cache.get("k") is None
    assert isinstance(make_cache(settings, dead), RedisCache)
    assert isinstance(make_cache(settings), DiskCache)


def test_redis_cache_stores_json_under_the_prefix(redis_db: redis.Redis) -> None:
    cache = RedisCache(redis_db, Keys("pfx"), ttl=60)
    cache.put("abc", {"labels": []})
    assert json.loads(redis_db.get("pfx:llm:abc") or b"") == {"labels": []}
    assert 0 < redis_db.ttl("pfx:llm:abc") <= 60
    assert cache.get("abc") == {"labels": []}
