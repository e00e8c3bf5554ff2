"""`aidigest demo` end to end, from the built and installed package, in a temp dir."""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from tests import ROOT


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built and installed into a directory of its own (the source tree not on path)."""
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp / "dist"),
            str(ROOT),
        ],
        check=True,
    )
    wheel = next((tmp / "dist").glob("aidigest-*.whl"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(tmp / "site"),
            str(wheel),
        ],
        check=True,
    )
    return tmp / "site"


def run_cli(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONWARNINGS": "error::UserWarning"}
    for k in list(env):
        if k.startswith(("OPENAI_", "REDIS_", "DIGEST_")):
            del env[k]
    code = "import sys; from cli.main import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow  # builds and installs the wheel
def test_demo_from_the_installed_package(installed: Path, tmp_path: Path) -> None:
    r = run_cli(installed, tmp_path, "demo")
    assert r.returncode == 0, r.stderr
    assert "missing from" not in r.stderr
    day = tmp_path / "reports" / "2024-10-04"
    assert r.stdout.split() == [
        str(Path("reports/2024-10-04") / n)
        for n in ("report.md", "news.png", "papers.png", "papers-trend.png", "items.jsonl")
    ]
    for chart in ("news.png", "papers.png", "papers-trend.png"):
        assert png_size(day / chart) == (1200, 675)
    listed = [json.loads(line) for line in (day / "items.jsonl").read_text("utf-8").splitlines()]
    assert len({r["id"] for r in listed}) == len(listed) > 200  # every item once, not the top
    assert {r["kind"] for r in listed} == {"news", "papers"}
    assert all(r["title"] and r["url"].startswith("http") for r in listed)
    left_out = [r for r in listed if "category" not in r]  # set aside as not about AI
    assert all(r["left_out"] == "not-ai" for r in left_out)
    digest = json.loads((day / "digest.ko.json").read_text("utf-8"))
    assert len(left_out) == sum(len(k["skipped"]) for k in digest["kinds"].values())
    assert len(listed) - len(left_out) == sum(k["total"] for k in digest["kinds"].values())
    assert "2410.03049" in {r["id"] for r in listed}  # arXiv papers by their arXiv id

    report = (day / "report.md").read_text("utf-8")
    assert report.startswith("# Daily Artificial Intelligence Insights — 2024-10-04")
    assert report.index("## News") < report.index("## Papers")
    assert "![News — 카테고리 분포](news.png)" in report
    sections = re.split(r"^### ", report, flags=re.MULTILINE)[1:]
    assert len(sections) >= 12
    for sec in sections:
        name = sec.splitlines()[0]
        assert name != "Others"
        assert "**요약:**" in sec and "**출처:**" in sec, name
        for heading in (
            "주요 주제 및 테마",
            "공통 키워드 및 트렌드",
            "항목별 핵심 내용",
            "영향 분석",
            "결론 및 주목할 점",
        ):
            assert heading in sec, (name, heading)
        summary, sources = sec.split("**출처:**")
        listed = re.findall(r"^(\d+)\. \[", sources, flags=re.MULTILINE)
        assert listed == [str(n) for n in range(1, len(listed) + 1)], name
        cited = {int(n) for n in re.findall(r"\[(\d+)\]", summary)}
        assert cited and cited <= set(range(1, len(listed) + 1)), name
    # the Korean feed came through the real parser
    assert "news.hada.io" in report


@pytest.mark.slow  # the installed CLI as a process
def test_demo_in_english(installed: Path, tmp_path: Path) -> None:
    r = run_cli(installed, tmp_path, "demo", "--lang", "en", "--out", "out")
    assert r.returncode == 0, r.stderr
    report = (tmp_path / "out" / "2024-10-04" / "report.md").read_text("utf-8")
    assert "**Summary:**" in report and "**Sources:**" in report and "Main themes" in report
    assert "요약" not in report


@pytest.mark.slow  # the installed CLI as a process
def test_show_reads_back_a_built_day(installed: Path, tmp_path: Path) -> None:
    assert run_cli(installed, tmp_path, "demo").returncode == 0
    r = run_cli(installed, tmp_path, "show", "papers", "cv", "2024-10-04")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("### Computer Vision") and "**출처:**" in r.stdout
    r = run_cli(installed, tmp_path, "show", "papers", "robtics")
    assert r.returncode == 2 and "Robotics" in r.stderr and "aidigest show" in r.stderr
    r = run_cli(installed, tmp_path, "show", "2024-10-05")
    assert r.returncode == 2 and "There is no digest for 2024-10-05" in r.stderr
    r = run_cli(installed, tmp_path, "show")
    assert r.returncode == 0 and "Digest of 2024-10-04" in r.stdout
