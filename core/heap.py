"""A long-running process's heap once it has started (the bots, the web site's workers; called
from their entry points only: a test's process lives on).

What exists then (modules, the taxonomy, Bolt or discord.py, pydantic schemas, templates) lives
as long as the process, yet each full run of CPython's cyclic garbage collector walked all of
it: a pause of 50-120 ms with nothing answered, at 50 requests in flight on a 2-core machine
(seen in bench/slack.py and bench/discord.py, more than a whole answer's 100 ms budget). So it
is frozen out of the collector's sight (gc.freeze), and young objects are collected a tenth as
often: an answer allocates thousands, almost all freed by reference counting, and collections
took about a tenth of an interaction's CPU. What requests allocate, and the caches keep, is
still collected.
"""

from __future__ import annotations

import gc

YOUNG = 7_000  # allocations between collections of the youngest generation (Python: 700)


def settle() -> None:
    """Collect once, then keep every object alive now out of later collections."""
    gc.collect()  # nothing that is garbage already is kept for ever
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG, middle, old)


__all__ = ["settle"]
