from __future__ import annotations

import pytest

from core.pipeline import BuiltDay
from tests import demo_day as demo


@pytest.fixture(scope="session")
def demo_day() -> BuiltDay:
    return demo.demo_day()
