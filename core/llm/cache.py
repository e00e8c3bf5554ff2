"""Answer caches for LLM calls, keyed by a hash of (model, messages, schema).

A rebuild of an unchanged day asks the model nothing: every prompt is deterministic, so every
answer is found again. Redis holds the cache when the caller hands in a connection (workers,
bots); the CLI without Redis uses files. A cache that fails is skipped, never fatal: a build
must not die because the cache is down.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Protocol

from core.store.keys import Keys

log = logging.getLogger(__name__)

CACHE_VERSION = "1"  # bump when the answer format changes: old entries are then never read
DEFAULT_TTL = 14 * 24 * 3600  # seconds; long enough for rebuilds and re-runs of a day's jobs

Answer = dict[str, Any]


def cache_key(model: str, messages: list[dict[str, str]], schema: dict[str, Any]) -> str:
    """sha256 hex of the request's meaning; key order and spacing do not change it."""
    blob = json.dumps(
        {"v": CACHE_VERSION, "model": model, "messages": messages, "schema": schema},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class AnswerCache(Protocol):
    def get(self, key: str) -> Answer | None: ...

    def put(self, key: str, answer: Answer) -> None: ...


class NoCache:
    def get(self, key: str) -> Answer | None:
        return None

    def put(self, key: str, answer: Answer) -> None:
        return None


class MemoryCache:
    """A process-local cache (tests, benchmarks)."""

    def __init__(self) -> None:
        self._data: dict[str, Answer] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> Answer | None:
        with self._lock:
            return self._data.get(key)

    def put(self, key: str, answer: Answer) -> None:
        with self._lock:
            self._data[key] = answer

    def __len__(self) -> int:
        return len(self._data)


class RedisCache:
    """`{prefix}:llm:{sha256}` -> the answer as JSON, expiring after `ttl` seconds."""

    def __init__(self, redis: Any, keys: Keys, ttl: int = DEFAULT_TTL) -> None:
        self._redis = redis  # a redis.Redis; thread-safe through its connection pool
        self._keys = keys
        self._ttl = ttl

    def key(self, key: str) -> str:
        return self._keys.llm(key)

    def get(self, key: str) -> Answer | None:
        try:
            raw = self._redis.get(self.key(key))
        except Exception as e:  # redis.RedisError and socket errors alike: go on uncached
            log.warning("LLM cache read failed (%s); asking the model", type(e).__name__)
            return None
        return _decode(raw)

    def put(self, key: str, answer: Answer) -> None:
        try:
            self._redis.set(self.key(key), json.dumps(answer, ensure_ascii=False), ex=self._ttl)
        except Exception as e:
            log.warning("LLM cache write failed (%s)", type(e).__name__)


class DiskCache:
    """One JSON file per answer under `root/ab/abcdef….json`; files older than `ttl` are stale."""

    def __init__(self, root: Path, ttl: int = DEFAULT_TTL) -> None:
        self.root = Path(root)
        self._ttl = ttl

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> Answer | None:
        path = self.path(key)
        try:
            if time.time() - path.stat().st_mtime > self._ttl:
                return None
            return _decode(path.read_bytes())
        except FileNotFoundError:
            return None
        except OSError as e:
            log.warning("LLM cache read failed (%s); asking the model", type(e).__name__)
            return None

    def put(self, key: str, answer: Answer) -> None:
        path = self.path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename, so a reader never sees half a file.
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(answer, f, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError as e:
            log.warning("LLM cache write failed (%s)", type(e).__name__)


def _decode(raw: object) -> Answer | None:
    if raw is None:
        return None
    try:
        value = json.loads(raw if isinstance(raw, str | bytes) else str(raw))
    except ValueError:
        return None  # a damaged entry is a miss
    return value if isinstance(value, dict) else None
