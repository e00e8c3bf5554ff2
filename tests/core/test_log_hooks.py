"""Issue 14 (3): an uncaught traceback, in any thread or in a forked child that prints it to
stderr (RQ's scheduler does, through multiprocessing), goes through the redacting logger as one
JSON record; nothing raw reaches stderr."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests import ROOT

SECRET = "hunter2-redis-password"


def run(code: str, tmp_path: Path) -> tuple[int, list[dict[str, str]], str]:
    script = tmp_path / "child.py"
    script.write_text(
        "from core.logs import setup_logging\n"
        f"setup_logging('json', [{SECRET!r}], capture_stderr=True)\n" + textwrap.dedent(code)
    )
    done = subprocess.run(
        [sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    lines = done.stderr.splitlines()
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except ValueError:
            pytest.fail(f"a raw line on stderr: {line!r}\n{done.stderr[-2000:]}")
    return done.returncode, records, done.stderr


@pytest.mark.slow  # starts Python processes
def test_an_uncaught_exception_is_one_redacted_record(tmp_path: Path) -> None:
    code, records, raw = run(f"raise RuntimeError('cannot connect with {SECRET}')", tmp_path)
    assert code == 1 and SECRET not in raw
    [record] = records
    assert record["logger"] == "uncaught" and record["level"] == "critical"
    assert "RuntimeError" in record["exc"] and "***" in record["msg"]


@pytest.mark.slow  # starts Python processes
def test_a_thread_s_and_a_forked_child_s_tracebacks_are_records(tmp_path: Path) -> None:
    code, records, raw = run(
        f"""
        import multiprocessing, sys, threading

        def fail():
            raise ValueError('child saw {SECRET}')

        t = threading.Thread(target=fail, name='poller')
        t.start(); t.join()
        p = multiprocessing.get_context('fork').Process(target=fail, name='Scheduler')
        p.start(); p.join()
        print('a library prints to stderr', file=sys.stderr)
        sys.exit(p.exitcode)
        """,
        tmp_path,
    )
    assert code == 1 and SECRET not in raw
    thread = next(r for r in records if r["logger"] == "uncaught")
    assert "in thread poller" in thread["msg"] and "ValueError" in thread["exc"]
    child = [r["msg"] for r in records if r["logger"] == "stderr"]
    assert "Process Scheduler:" in child
    [traceback] = [m for m in child if m.startswith("Traceback (most recent call last):")]
    assert traceback.rstrip().endswith("ValueError: child saw ***")  # one record, redacted
    assert "a library prints to stderr" in child
