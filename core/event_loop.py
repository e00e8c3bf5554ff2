"""The event loop a long-running process runs on (the bots, the web site's workers; called from
their entry points only).

uvloop (libuv, in C) where it is installed, which is everywhere but Windows: the bots and the
site spend much of an answer in the loop itself (sockets, callbacks, timers) with 50 requests
in flight, and uvloop does that work several times faster than asyncio's pure-Python loop
(bench/web.py, bench/slack.py, bench/discord.py). `AIDIGEST_EVENT_LOOP=asyncio` keeps the
standard loop, e.g. to compare or to debug with asyncio's debug mode.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's loop maker, or None for asyncio's own."""
    if os.environ.get("AIDIGEST_EVENT_LOOP", "uvloop") == "asyncio":
        return None
    try:
        import uvloop
    except ImportError:  # not on this platform
        return None
    return uvloop.new_event_loop


def run(main: Coroutine[Any, Any, T]) -> T:
    """asyncio.run(main), on the loop above."""
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        return runner.run(main)


__all__ = ["loop_factory", "run"]
