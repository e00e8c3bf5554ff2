"""One stack for the whole session: the system tests play successive days on it (the outage
test starts a stack of its own: tests/system/play.py running_world).

The stack's directory (logs of every process, Redis's append-only file) is under pytest's
basetemp, kept after the run for reading. Every process is stopped at the end of the session,
whatever happened (process groups are killed in the finalizer).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.system.play import World, running_world


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with running_world(tmp_path_factory.mktemp("system")) as w:
        yield w
