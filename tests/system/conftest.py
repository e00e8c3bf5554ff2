"""One stack for the whole session: the system tests play successive days on it.

The stack's directory (logs of every process, Redis's append-only file) is under pytest's
basetemp, kept after the run for reading. Every process is stopped at the end of the session,
whatever happened (process groups are killed in the finalizer).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.doubles.discord_control import Control
from tests.system.play import World
from tests.system.stack import Stack


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    stack = Stack(tmp_path_factory.mktemp("system"))
    control = Control(stack.url("discord_api"))
    try:
        stack.start_services()
        w = World(stack, control)
        w.setup()
        yield w
    finally:
        control.close()
        stack.close()
