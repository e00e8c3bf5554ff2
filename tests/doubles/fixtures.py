"""The pytest fixtures of a stand-in served in the test process: one per session, reset around
every test. A conftest says `stand_in, server = stand_in_fixtures(SourceServer)`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar

import pytest


class Resettable(Protocol):
    def reset(self) -> None: ...


S = TypeVar("S", bound=Resettable)


def stand_in_fixtures(
    make: Callable[[], AbstractContextManager[S]], *also_reset: Callable[[], None]
) -> tuple[Any, Any]:
    """Two fixtures: `stand_in`, `make()` served for the whole session, and `server`, that
    stand-in for one test, reset (and each of `also_reset` called) before and after it."""

    def fresh(s: S) -> None:
        s.reset()
        for reset in also_reset:
            reset()

    @pytest.fixture(scope="session", name="stand_in")
    def stand_in() -> Iterator[S]:
        with make() as s:
            yield s

    @pytest.fixture(name="server")
    def server(stand_in: S) -> Iterator[S]:
        fresh(stand_in)
        yield stand_in
        fresh(stand_in)

    return stand_in, server
