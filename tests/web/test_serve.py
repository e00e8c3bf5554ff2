"""Several site processes on one socket: all answer, SIGTERM to the parent stops every one,
and a killed parent does not leave workers serving."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
SERVE = """
import sys
from core.search.memory import MemorySearch
from web import MemoryReader, Site
from web.serve import run

async def make():
    return Site(days=MemoryReader([]), search=MemorySearch([]))

run(make, "127.0.0.1", int(sys.argv[1]), workers=3)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-c", SERVE, str(port)], cwd=ROOT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                assert r.status == 200
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise TimeoutError("the site did not answer within 30 s")


def workers_of(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(x) for x in out.stdout.split()]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_gone(pids: list[int], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while any(alive(p) for p in pids):
        assert time.monotonic() < deadline, [p for p in pids if alive(p)]
        time.sleep(0.1)


def test_workers_answer_and_stop_with_their_parent() -> None:
    port = free_port()
    proc = start(port)
    kids = workers_of(proc.pid)
    assert len(kids) == 3
    for _ in range(20):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            assert "aidigest" in r.read().decode()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(10) == 0
    wait_gone(kids)


def test_a_killed_parent_leaves_no_worker_behind() -> None:
    port = free_port()
    proc = start(port)
    kids = workers_of(proc.pid)
    proc.kill()
    proc.wait(5)
    wait_gone(kids)
