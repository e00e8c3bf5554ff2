"""Issue 14 (6): the grammar's cost does not grow with the number of bad words. Only the first
problem of a command is shown, so only its suggestion is computed, and a zone suggestion
compares the word with a dozen likely zone names, not all ~600 (difflib over every zone for
every near-miss word cost ~420 ms inside a bot's event loop). bench/hostile.py times the worst
case; here the work is counted."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterator, Sequence

import pytest

from core import taxonomy as taxonomy_module
from core.query import QueryError, parse
from core.query import _zones as zones_module
from core.taxonomy import load_taxonomy

TODAY = dt.date(2024, 10, 4)


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many names each difflib suggestion compared the word with."""
    calls: list[int] = []
    real = difflib.get_close_matches

    def counting(word: str, possibilities: Sequence[str], *a: object, **kw: object) -> list[str]:
        calls.append(len(possibilities))
        return real(word, possibilities, *a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(zones_module.difflib, "get_close_matches", counting)
    monkeypatch.setattr(taxonomy_module.difflib, "get_close_matches", counting)
    yield calls


def test_thirty_near_miss_zones_cost_one_small_suggestion(compared: list[int]) -> None:
    words = " ".join(["America/New_Yrok", "Europe/Lodnon", "Asia/Seuol"] * 10)
    answer = parse(f"subscribe papers {words} langauge computervisoin", load_taxonomy(), TODAY)
    assert isinstance(answer, QueryError)
    assert "I don't know the time zone 'America/New_Yrok'. Did you mean America/New_York?" in (
        answer.message
    )
    assert len(compared) == 1 and compared[0] <= 20  # was: 30 suggestions over ~600 zones


def test_many_unknown_categories_cost_one_suggestion(compared: list[int]) -> None:
    words = " ".join(f"langauge{n}" for n in range(40))
    answer = parse(f"subscribe papers {words}", load_taxonomy(), TODAY)
    assert isinstance(answer, QueryError) and "'langauge0'" in answer.message
    assert len(compared) <= 2  # the phrase, then its first word


def test_a_valid_command_computes_no_suggestion(compared: list[int]) -> None:
    assert not isinstance(
        parse("subscribe papers LLM at 08:30 Asia/Seoul", load_taxonomy(), TODAY), QueryError
    )
    assert compared == []


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("america/new_yrok", "America/New_York"),
        ("Europe/Lodnon", "Europe/London"),
        ("asia/seuol", "Asia/Seoul"),
        ("Asia/Tokio", "Asia/Tokyo"),
        ("australia/sydny", "Australia/Sydney"),
        ("qqqq/zzzz", None),
    ],
)
def test_the_suggestion_is_the_close_zone(typed: str, zone: str | None) -> None:
    assert zones_module.close_zone(typed) == zone


def test_near_miss_zones_look_up_the_taxonomy_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A word with a "/" may be a category ("ML/AI") or a zone: the taxonomy lookup that tells
    them apart (~0.2 ms) is made until the first problem, not for every word."""
    tx = load_taxonomy()
    calls: list[str] = []
    real = type(tx).resolve

    def counting(self: object, word: str, kind: object = None) -> object:
        calls.append(word)
        return real(self, word, kind)  # type: ignore[arg-type]

    monkeypatch.setattr(type(tx), "resolve", counting)
    answer = parse("subscribe " + " ".join(f"Asia/Seoulx{n}" for n in range(30)), tx, TODAY)
    assert isinstance(answer, QueryError)
    assert sum(1 for w in calls if w.startswith("Asia/Seoulx")) == 1
