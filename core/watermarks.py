"""Where marks, takes and shown ids are kept, and the one way a build uses them.

A store of watermarks (Redis for the workers, a state file for the CLI, a dict in tests) keeps
per source its `Mark`, per day and source the recorded `Take`, and the day each id was first
shown. `intake` is how a build takes from a source: a day that already has a take is replayed
(a build run twice, or `aidigest build --date D` later, gets the same items and moves nothing);
otherwise the source is asked and the new mark, the take and the shown ids are committed
together, compare-and-set: if another build moved the mark meanwhile, ours is retried.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from core.intake import Asking, Intake, replay_day, take_new
from core.sources.http import SourceError
from core.watermark import Mark, Take, record_shown

ATTEMPTS = 3


class Watermarks(Protocol):
    def mark(self, source: str) -> Mark: ...

    def recorded(self, day: str, source: str) -> Take | None: ...

    def shown(self, ids: Sequence[str]) -> dict[str, str]: ...

    def commit(self, taken: Take, mark: Mark, expected: Mark) -> bool:
        """Store mark, take and shown ids together, unless the source's mark is no longer
        `expected` or the day already has a take (then False, nothing stored)."""
        ...


def intake(
    marks: Watermarks,
    asking: Asking,
    day: str,
    *,
    start: datetime,
    end: datetime,
    fetched_at: datetime,
) -> Intake:
    """The day's items from one source, taken once and replayed ever after."""
    name = asking.spec.name
    for _ in range(ATTEMPTS):
        mark = marks.mark(name)
        recorded = marks.recorded(day, name)
        if recorded is not None:
            return replay_day(asking, recorded, mark)
        got = take_new(
            asking, mark, day, start=start, end=end, fetched_at=fetched_at, shown=marks.shown
        )
        if marks.commit(got.take, got.mark, mark):
            return got
    raise SourceError(f"{name}: other builds kept moving its watermark; try again")


@dataclass
class MemoryWatermarks:
    """Watermarks in a dict (tests, and the CLI's state file loads into one). Sources are
    collected in threads: every access holds the lock."""

    marks: dict[str, Mark] = field(default_factory=dict)
    takes: dict[str, dict[str, Take]] = field(default_factory=dict)  # day -> source -> take
    first_shown: dict[str, str] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)

    def mark(self, source: str) -> Mark:
        with self.lock:
            return self.marks.get(source, Mark())

    def recorded(self, day: str, source: str) -> Take | None:
        with self.lock:
            return self.takes.get(day, {}).get(source)

    def shown(self, ids: Sequence[str]) -> dict[str, str]:
        with self.lock:
            return {i: self.first_shown[i] for i in ids if i in self.first_shown}

    def commit(self, taken: Take, mark: Mark, expected: Mark) -> bool:
        with self.lock:
            if self.mark(taken.source) != expected or self.recorded(taken.day, taken.source):
                return False
            self.save(taken, mark)
            self.marks[taken.source] = mark
            self.takes.setdefault(taken.day, {})[taken.source] = taken
            self.first_shown = record_shown(self.first_shown, taken)
            return True

    def save(self, taken: Take, mark: Mark) -> None:
        """Persist a commit before it is applied (a store on disk); nothing here."""
