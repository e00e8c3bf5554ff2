"""Fixtures of the bot tests: a flushed Redis database, the demo day built once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.pipeline import BuiltDay
from tests.bot.helpers import build_demo, flush


@pytest.fixture
def db() -> Iterator[None]:
    flush()
    yield
    flush()


@pytest.fixture(scope="session")
def demo_day() -> BuiltDay:
    return build_demo()
