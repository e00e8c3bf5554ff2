"""A build's LLM allowance: wall time and tokens, shared by every call of the build.

A slow local model or a looping answer must not hold a morning build hostage. Every call
checks the budget before it is sent and is given at most the wall time left; once the budget is
spent, the calls not yet made are not made, and their sections are written offline (saying so).

The clock starts when the build starts (`started`, epoch seconds), so the RQ jobs of one build,
each in its own process, share one deadline; `spent` carries the tokens earlier jobs used.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

DEFAULT_SECONDS = 1800.0  # 30 minutes: the build at 07:00 is done well before people read it
DEFAULT_TOKENS = 2_000_000  # the large bundled day takes ~175k per language (bench/build.py)


class Budget:
    def __init__(
        self,
        seconds: float = DEFAULT_SECONDS,
        tokens: int = DEFAULT_TOKENS,
        *,
        started: float | None = None,
        spent: int = 0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`seconds` or `tokens` ≤ 0: no limit of that kind."""
        self.seconds = seconds
        self.tokens = tokens
        self._clock = clock
        self.started = clock() if started is None else started
        self._spent = max(0, spent)
        self._lock = threading.Lock()

    @classmethod
    def unlimited(cls) -> Budget:
        return cls(0, 0)

    def spend(self, tokens: int) -> None:
        with self._lock:
            self._spent += max(0, tokens)

    @property
    def spent(self) -> int:
        with self._lock:
            return self._spent

    def seconds_left(self) -> float:
        if self.seconds <= 0:
            return math.inf
        return self.seconds - (self._clock() - self.started)

    def exhausted(self) -> str:
        """Why no more calls may be made, or "" while some budget is left."""
        if self.seconds > 0 and self.seconds_left() <= 0:
            return f"the build's LLM time budget ({self.seconds:g} s) is spent"
        if self.tokens > 0 and self.spent >= self.tokens:
            return f"the build's LLM token budget ({self.tokens:,} tokens) is spent"
        return ""
