"""The bundled model loads from the installed wheels, with every network connection refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Runs in a fresh interpreter: sockets refuse to connect before anything of ours is imported.
PROBE = """
import socket, sys
def refuse(*args, **kwargs):
    raise OSError("network refused by the test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
import core.classify as c
from core.classify.embedding import load_embedder, WEIGHTS
from core.items import Item
from core.taxonomy import load_taxonomy
assert c.__file__.startswith(sys.argv[1]), c.__file__
items = [
    Item(id="a", kind="news", title="서버 모니터링 분석 가이드", url="https://x/", source="t"),
    Item(id="b", kind="news", title="Introducing ChatGPT agent", url="https://x/", source="t"),
]
got = c.judge(items, load_taxonomy())
print(load_embedder().vectors.shape, got["a"].ai, got["b"].ai, got["b"].category)
"""


@pytest.mark.slow
def test_the_model_loads_from_the_installed_wheel_without_network(tmp_path: Path) -> None:
    dist, site = tmp_path / "dist", tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(ROOT)],
        check=True,
    )
    wheel = next(dist.glob("aidigest-*.whl"))
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True)
    assert (site / "core" / "classify" / "data" / "labelled.jsonl").is_file()
    env = {**os.environ, "PYTHONPATH": str(site), "HOME": str(tmp_path)}  # no model cache at home
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(site)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["(32000,", "256)", "False", "True", "llm"]
