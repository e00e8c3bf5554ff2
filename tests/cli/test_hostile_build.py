"""`aidigest build` with hostile sources among good ones (issue 14): the build finishes, names
the source that ran out of time, and the report renders every hostile title as plain text."""

from __future__ import annotations

import time
from pathlib import Path

import cmarkgfm
import pytest

from bench import injections
from cli.main import main
from core.store import files
from tests.doubles.source_server import SourceServer

DRIP = "/feeds/google_ai_blog_rss_2025-07-24.xml"
HOSTILE = "/feeds/geeknews_ko_atom_2026-09-29.xml"
GOOD = "/feeds/openai_news_rss_2025-07-28.xml"


pytestmark = pytest.mark.usefixtures("offline_env")


@pytest.fixture
def server(server: SourceServer) -> SourceServer:
    """The stand-in with one feed dripping a byte a second and one of hostile titles."""
    server.set_fault(DRIP, "drip:1")
    server.set_fault(HOSTILE, "hostile-titles")
    return server


def sources_file(tmp: Path, base: str) -> Path:
    path = tmp / "sources.toml"
    feeds = [("slow-blog", DRIP, 3), ("hostile-blog", HOSTILE, 30), ("openai-news", GOOD, 30)]
    path.write_text(
        "\n".join(
            f'[[source]]\nname = "{name}"\ntype = "feed"\nkind = "news"\nurl = "{base}{p}"\n'
            f"deadline = {deadline}\nallow_private = true\nmax_items = 20\n"
            for name, p, deadline in feeds
        ),
        "utf-8",
    )
    return path


@pytest.mark.slow  # waits out a 3-second deadline
def test_a_dripping_source_times_out_and_the_day_is_built(
    server: SourceServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(sources_file(tmp_path, server.url))
    t0 = time.monotonic()
    code = main(["build", "--date", "2025-07-29", "--config", config, "--out", str(tmp_path)])
    took = time.monotonic() - t0
    err = capsys.readouterr().err
    assert code == 0, err
    assert "✗ slow-blog" in err and "no complete answer within the 3-second deadline" in err
    assert "✓ openai-news" in err and "✓ hostile-blog" in err
    assert took < 20  # the drip alone would take an hour
    report = (tmp_path / "2025-07-29" / "report.md").read_text("utf-8")
    # the news note names the failed source and why (core/notes.py), in the report's words
    assert "slow-blog failed" in report and "3-second deadline\\); what it released" in report


@pytest.mark.slow  # builds a day
def test_hostile_titles_render_as_text_in_the_report(
    server: SourceServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.set_fault(DRIP, None)
    config = str(sources_file(tmp_path, server.url))
    assert main(["build", "--date", "2025-07-29", "--config", config, "--out", str(tmp_path)]) == 0
    report = (tmp_path / "2025-07-29" / "report.md").read_text("utf-8")
    digest = files.read_digest(tmp_path, "2025-07-29", "en")
    assert digest is not None
    refs = [r for sec in digest.sections for r in sec.sources]
    hostile = [r.title for r in refs if r.source == "hostile-blog"]
    assert len(hostile) >= 5  # enough of them made it into sections to mean something
    assert injections.report(report, {r.url for r in refs}, hostile) == []
    html = cmarkgfm.github_flavored_markdown_to_html(report)
    assert "&lt;img src=x onerror=alert(1)&gt; launches a model" in html  # shown as text
