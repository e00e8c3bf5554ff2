"""`aidigest search`, and `aidigest build` with Redis indexing the day it stores; `aidigest web`
without Redis saying what to do instead."""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis

from cli.main import main
from core.pipeline import BuiltDay
from core.search import SearchWriter
from core.store.keys import Keys
from tests import days
from tests.cli.test_build import sources_file
from tests.doubles.source_server import SourceServer


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch, redis_url: str) -> None:
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "DIGEST_LANGUAGES", "DIGEST_PUBLIC_URL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("DIGEST_LANGUAGE", "en")
    monkeypatch.setenv("REDIS_URL", redis_url)


@pytest.fixture
def server() -> Iterator[SourceServer]:
    with SourceServer() as s:
        yield s


def test_search_prints_hits_with_their_day_and_links(
    redis_db: Redis[bytes],
    demo_day: BuiltDay,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    days.publish(redis_db, demo_day)
    SearchWriter(redis_db, Keys()).index_built(demo_day)
    monkeypatch.setenv("DIGEST_PUBLIC_URL", "https://digest.example.org/")
    assert main(["search", "diffusion", "models", "--kind", "papers", "--category", "cv"]) == 0
    out = capsys.readouterr().out
    assert "results for “diffusion models”" in out
    assert "1. 2024-10-04 · papers · Computer Vision" in out
    assert "https://digest.example.org/2024-10-04/papers/computer-vision" in out
    assert main(["search", "qqqzzz"]) == 1
    assert "Nothing found for “qqqzzz”" in capsys.readouterr().err
    assert main(["search", "x", "--category", "nope"]) == 2


def test_search_flags_are_read_like_the_bots_options(
    redis_db: Redis[bytes], demo_day: BuiltDay, capsys: pytest.CaptureFixture[str]
) -> None:
    """--kind and --category through the bots' typed builder: its messages, named as the flag,
    with an example in flags (the words searched for kept) that works when pasted back."""
    days.publish(redis_db, demo_day)
    SearchWriter(redis_db, Keys()).index_built(demo_day)
    assert main(["search", "language", "models", "--category", "LLM share"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        "--category: I don't know the category 'LLM share'. Did you mean LLM? Each option "
        "takes only its own value. Try: `aidigest search language models --category LLM`"
    )
    assert main(shlex.split(err.split("`")[1])[1:]) == 0
    assert "results for “language models”" in capsys.readouterr().out
    assert main(["search", "agents", "--kind", "bogus"]) == 2
    assert capsys.readouterr().err.startswith(
        "--kind: 'bogus' is not a kind; use news, papers or all. "
        "Try: `aidigest search agents --kind papers`"
    )
    assert main(["search", "agents", "--kind", "news", "--category", "AI Theory"]) == 2
    assert capsys.readouterr().err.strip() == (
        "--category: AI Theory is a papers category, not news. "
        "Try: `aidigest search agents --kind papers --category 'AI Theory'`"
    )
    assert main(["search", "diffusion", "models", "--kind", "all", "--category", "cv"]) == 0
    assert "· Computer Vision" in capsys.readouterr().out


def test_search_and_web_need_redis(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("REDIS_URL")
    assert main(["search", "agents"]) == 2
    assert "set REDIS_URL" in capsys.readouterr().err
    assert main(["web"]) == 2
    assert "aidigest demo --serve" in capsys.readouterr().err


@pytest.mark.slow  # a whole day built from the source stand-in
def test_build_with_redis_indexes_the_day(
    redis_db: Redis[bytes],
    server: SourceServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = str(sources_file(tmp_path, server.url))
    out = str(tmp_path / "out")
    # a Tuesday in Seoul: arXiv's Sunday announcement (a Sunday digest has none)
    assert main(["build", "--date", "2024-10-08", "--config", config, "--out", out]) == 0
    assert "search documents" in capsys.readouterr().err
    assert main(["search", "language", "models"]) == 0
    assert "2024-10-08 · papers" in capsys.readouterr().out
