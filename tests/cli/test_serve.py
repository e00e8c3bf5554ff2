"""`aidigest demo --serve`: the sample day as the web archive, with no Redis, as a process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests import ROOT
from tests.procs import free_port

pytestmark = pytest.mark.slow  # builds the day, starts a server process


def test_demo_serve_without_redis(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update({"DIGEST_LANGUAGES": "ko,en", "DIGEST_LANGUAGE": "ko"})
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "demo", "--serve", "--port", str(port),
         "--out", str(tmp_path / "out")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline, body = time.monotonic() + 120, ""
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                    body = r.read().decode()
                    break
            except OSError:
                time.sleep(0.3)
        assert "2024-10-04" in body and "주요 주제 및 테마" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/search?q=agents&lang=en") as r:
            assert 'class="hit"' in r.read().decode()
        assert (tmp_path / "out" / "2024-10-04" / "report.md").exists()
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err.decode()[-2000:]
