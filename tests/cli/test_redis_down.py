"""Issue 14 (7): with REDIS_URL set but Redis unusable, `aidigest build` says so — "Redis", the
URL with its password masked, why — before fetching anything; `aidigest status` explains the
outage."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.main import main
from tests.doubles.source_server import SourceServer

PASSWORD = "cli-test-password"


@pytest.fixture
def dead_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        url = f"redis://:{PASSWORD}@127.0.0.1:{s.getsockname()[1]}/0"
    monkeypatch.setenv("REDIS_URL", url)
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "DIGEST_LANGUAGES"):
        monkeypatch.delenv(var, raising=False)
    yield url


def test_build_says_redis_is_down_before_fetching_anything(
    dead_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with SourceServer() as server:
        config = tmp_path / "sources.toml"
        config.write_text(
            f'[[source]]\nname = "blog"\ntype = "feed"\nkind = "news"\n'
            f'url = "{server.url}/feeds/openai_news_rss_2025-07-28.xml"\nallow_private = true\n'
        )
        code = main(["build", "--date", "2025-07-29", "--config", str(config), "--out",
                     str(tmp_path / "out")])  # fmt: skip
        assert server.count("/") == 0  # nothing was fetched
    err = capsys.readouterr().err
    port = dead_url.rsplit(":", 1)[1]
    assert code == 2
    assert f"aidigest build: Redis at redis://:***@127.0.0.1:{port} is unreachable" in err
    assert "Nothing was fetched" in err and PASSWORD not in err


def test_status_explains_an_outage(dead_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status"]) == 2
    err = capsys.readouterr().err
    assert "aidigest status: Redis at redis://:***@127.0.0.1:" in err and "is unreachable" in err
    assert "workers and the cron process wait for it" in err and PASSWORD not in err


def test_a_malformed_redis_url_is_reported_masked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REDIS_URL", f"redis://:{PASSWORD}@host:port/0")
    assert main(["status"]) == 2
    err = capsys.readouterr().err
    assert "is not a Redis URL" in err and PASSWORD not in err
