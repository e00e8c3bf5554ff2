"""The long-running processes' event loop: uvloop unless told otherwise, and asyncio.run's
contract either way (the result comes back, the loop is closed after)."""

from __future__ import annotations

import asyncio

import pytest

from core import event_loop


async def _loop_kind() -> str:
    await asyncio.sleep(0)
    return type(asyncio.get_running_loop()).__module__


def test_runs_on_uvloop_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIDIGEST_EVENT_LOOP", raising=False)
    assert event_loop.run(_loop_kind()).startswith("uvloop")


def test_the_standard_loop_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIDIGEST_EVENT_LOOP", "asyncio")
    assert event_loop.run(_loop_kind()).startswith("asyncio")


def test_an_exception_comes_out_as_from_asyncio_run() -> None:
    async def fails() -> None:
        raise ValueError("inside")

    with pytest.raises(ValueError, match="inside"):
        event_loop.run(fails())
