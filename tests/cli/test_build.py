"""`aidigest build` from live sources — here, the local source stand-in over real HTTP."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from cli.main import main
from tests.doubles.source_server import SourceServer

pytestmark = pytest.mark.usefixtures("offline_env")


def sources_file(tmp: Path, base: str) -> Path:
    path = tmp / "sources.toml"
    path.write_text(
        f"""
[[source]]
name = "arxiv"
type = "arxiv"
kind = "papers"
url = "{base}/arxiv/api/query"
categories = ["cs.AI", "cs.CL", "cs.CV", "cs.LG", "cs.RO"]
page_size = 50
max_items = 1000
allow_private = true

[[source]]
name = "hf-daily-papers"
type = "hf_daily"
kind = "papers"
url = "{base}/hf/api/daily_papers"
allow_private = true

[[source]]
name = "openai-news"
type = "feed"
kind = "news"
url = "{base}/feeds/openai_news_rss_2025-07-28.xml"
allow_private = true
""",
        "utf-8",
    )
    return path


@pytest.mark.slow  # the CLI as a process, over every source
def test_build_a_day_from_the_stand_in(
    server: SourceServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.set_fault("/feeds/", "status:500")
    code = main(
        [
            "build",
            "--date",
            "2024-10-08",  # Tuesday in Seoul: arXiv's Sunday-evening announcement
            "--config",
            str(sources_file(tmp_path, server.url)),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    # submitted Thu 2024-10-03 14:00 to Fri 14:00 US-Eastern, paged by 50 (3 pages), after the
    # window before it, asked again for papers held in moderation (157 papers, 4 pages)
    assert "✓ arxiv" in err and "134 new" in err
    assert server.count("/arxiv/") == 7
    assert "✗ openai-news" in err and "HTTP 500" in err
    day = tmp_path / "out" / "2024-10-08"
    report = (day / "report.md").read_text("utf-8")
    assert "### LLM" in report and "https://arxiv.org/abs/" in report
    assert "> openai-news failed \\(127.0.0.1:" in report and "HTTP 500" in report
    assert str(day / "report.md") in out
    assert len((day / "items.jsonl").read_text("utf-8").splitlines()) == 134


@pytest.mark.slow  # the CLI as a process, over every source
def test_every_source_down_is_a_clear_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    code = main(
        [
            "build",
            "--date",
            "2024-10-08",  # a day arXiv announced for: every source is asked
            "--config",
            str(sources_file(tmp_path, dead)),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 3
    assert "Every source failed; nothing was built" in err
    assert not (tmp_path / "out" / "2024-10-08").exists()


def test_a_bad_sources_file_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "s.toml"
    bad.write_text('[[source]]\nname = "x"\ntype = "gopher"\nkind = "news"\nurl = "u"\n')
    assert main(["build", "--config", str(bad), "--out", str(tmp_path)]) == 2
    assert "bad source list" in capsys.readouterr().err
