"""Fixtures of the RQ tests: the real Redis (database 14, flushed), real worker processes.

Jobs load their settings from the environment, so tests set it (monkeypatch) rather than pass it;
subprocesses inherit the same environment.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from redis import Redis

from core.settings import Settings, load_settings
from tests.procs import Proc
from tests.workers.procs import URL


@pytest.fixture
def redis(monkeypatch: pytest.MonkeyPatch, redis_db: Redis[bytes]) -> Redis[bytes]:
    monkeypatch.setenv("REDIS_URL", URL)
    monkeypatch.setenv("DIGEST_LANGUAGES", "ko")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    return redis_db


@pytest.fixture
def settings(redis: Redis[bytes]) -> Settings:
    return load_settings()


@pytest.fixture
def procs() -> Iterator[list[Proc]]:
    """Processes a test starts; whatever is left is stopped when it ends."""
    started: list[Proc] = []
    yield started
    for p in started:
        p.stop()
