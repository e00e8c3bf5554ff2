"""Fixtures of the CLI tests: the source stand-in, and an environment with no LLM and no Redis."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.doubles.source_server import SourceServer


@pytest.fixture
def server() -> Iterator[SourceServer]:
    with SourceServer() as s:
        yield s


@pytest.fixture
def offline_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No LLM and no Redis configured; digests in English only."""
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "REDIS_URL", "DIGEST_LANGUAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("DIGEST_LANGUAGE", "en")
