"""The bot process's heap: what start-up built is kept out of the garbage collector's way.

A bot builds tens of thousands of objects at start-up that live as long as the process (modules,
Bolt or discord.py, pydantic schemas, the taxonomy). CPython's full collection walks every one
of them: on a 2-core machine under load that is a 70–110 ms pause, taken in the middle of
answering, which every request in flight waits out (bench/slack.py saw two in one run, each
more than the whole 100 ms budget of an answer). Frozen (gc.freeze), they are never scanned
again; what requests allocate, and the caches keep, is collected as before.
"""

from __future__ import annotations

import gc


def freeze_startup() -> None:
    """Call once the process is built, before it takes requests."""
    gc.collect()  # nothing that is garbage already is kept for ever
    gc.freeze()
