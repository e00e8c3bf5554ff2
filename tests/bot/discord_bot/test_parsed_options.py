"""`show`'s options are parsed once per day and kept (Handlers.parsed): the kept query is the one
show_options gives, a new day reads "today" and "-1" afresh, and the store stays bounded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.discord_bot import handlers
from bot.discord_bot.handlers import Handlers
from core.query import OptionError, ShowQuery, show_options
from core.taxonomy import load_taxonomy
from tests.bot.helpers import FakeClock

TX = load_taxonomy(None)


def make(clock: FakeClock) -> Handlers:
    none: Any = None  # parsing needs neither the commands nor Redis
    return Handlers(none, none, TX, clock, "UTC")


def test_parsed_is_show_options_once_per_day() -> None:
    clock = FakeClock(dt.datetime(2024, 10, 4, 12, tzinfo=dt.UTC))
    h = make(clock)
    q = h.parsed("papers", "llm", "today", False)
    assert q == show_options(TX, dt.date(2024, 10, 4), kind="papers", category="llm",
                             date="today")  # fmt: skip
    assert isinstance(q, ShowQuery) and q.date == dt.date(2024, 10, 4)
    assert h.parsed("papers", "llm", "today", False) is q  # kept
    clock.advance(days=1)
    later = h.parsed("papers", "llm", "today", False)
    assert isinstance(later, ShowQuery) and later.date == dt.date(2024, 10, 5)
    bad = h.parsed(None, "no such thing", None, False)
    assert isinstance(bad, OptionError) and bad.option == "category"


def test_parsed_options_are_bounded(monkeypatch: Any) -> None:
    monkeypatch.setattr(handlers, "MAX_QUERIES", 3)
    h = make(FakeClock(dt.datetime(2024, 10, 4, tzinfo=dt.UTC)))
    for n in range(1, 6):
        h.parsed(None, None, f"-{n}", False)
    assert len(h.queries) == 3
