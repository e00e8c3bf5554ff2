"""The bot process's heap once it has started (__main__ only: a test's process lives on). What
is there then (modules, the taxonomy, the client) lives as long as the process, yet each full
run of the cyclic garbage collector scanned all of it: a pause of 50-120 ms with nothing
answered, at 50 interactions in flight. So it is frozen out of the collector's sight
(gc.freeze), and young objects are collected a tenth as often: an interaction allocates
thousands, almost all freed by reference counting, and collections took about a tenth of an
interaction's CPU (timed with gc.callbacks in bench/discord.py's bot)."""

from __future__ import annotations

import gc

YOUNG = 7_000  # allocations between collections of the youngest generation (Python: 700)


def settle() -> None:
    """Collect once, then keep every object alive now out of later collections."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG, middle, old)
