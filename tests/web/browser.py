"""Headless Debian Chromium driven by Playwright, for the browser tests.

Playwright's own browser download cannot work on these machines; it drives the system's
`chromium` (installed by .ci/run) through `executable_path`. The flags keep Chromium from
reaching for Google's services on a closed network and let it run as root in CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """The browser to drive; in CI its absence is a failure, elsewhere a skip."""
    path = os.environ.get("AIDIGEST_CHROMIUM") or shutil.which("chromium") or ""
    if not path:
        message = "chromium is not installed (apt-get install chromium; .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def hangul_families() -> set[str]:
    """System font families that draw Hangul and CJK punctuation (fontconfig's view)."""
    try:
        out = subprocess.run(
            ["fc-list", ":charset=ac00 300c", "family"], capture_output=True, text=True, timeout=20
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name}
