"""Typed options build queries value by value (core/query/_options.py): a value is only ever read
as its own option, and a bad value is an error about that option. Pure."""

from __future__ import annotations

import datetime as dt

import pytest

from core.query import (
    OptionError,
    SearchQuery,
    ShowQuery,
    SubscribeQuery,
    UnsubscribeQuery,
    search_options,
    show_options,
    subscribe_options,
    unsubscribe_options,
)
from core.taxonomy import load_taxonomy

TX = load_taxonomy()
TODAY = dt.date(2024, 10, 6)


def test_show_values_become_a_query() -> None:
    got = show_options(TX, TODAY, kind="papers", category="llm", date="yesterday", share=True)
    assert got == ShowQuery(("papers",), "llm", dt.date(2024, 10, 5), True)
    assert show_options(TX, TODAY) == ShowQuery()
    assert show_options(TX, TODAY, kind="all", category=" ") == ShowQuery()
    both = show_options(TX, TODAY, category="Computer Vision")
    assert both == ShowQuery((), "computer-vision", None, False)
    assert show_options(TX, TODAY, category="ＬＬＭ\u200b").category == "llm"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("options", "option", "says"),
    [
        ({"category": "LLM share"}, "category", "'LLM share'"),  # not a share
        ({"category": "LLM share"}, "category", "Did you mean LLM?"),
        ({"kind": "bogus"}, "kind", "'bogus' is not a kind"),  # not an unknown category
        ({"date": "2024-13-01"}, "date", "no month 13"),
        ({"date": "someday"}, "date", "'someday' is not a date"),
        ({"date": "2099-01-01"}, "date", "hasn't happened yet"),
        ({"kind": "news", "category": "robotics"}, "category", "a papers category, not news"),
        ({"category": "others"}, "category", "Others is not a section"),
    ],
)
def test_a_bad_show_value_names_its_option(options: dict[str, str], option: str, says: str) -> None:
    got = show_options(TX, TODAY, **options)  # type: ignore[arg-type]
    assert isinstance(got, OptionError)
    assert got.option == option and says in got.message
    assert "Try: `/aidigest " in got.message


def test_subscribe_values_become_a_query() -> None:
    got = subscribe_options(TX, kinds="papers", categories="LLM, cv", time="8:30",
                            timezone="seoul", language="en")  # fmt: skip
    assert got == SubscribeQuery(("papers",), (("papers", "llm"), ("papers", "computer-vision")),
                                 dt.time(8, 30), "Asia/Seoul", "en")  # fmt: skip
    assert subscribe_options(TX) == SubscribeQuery()
    assert unsubscribe_options(kinds="news") == UnsubscribeQuery(("news",))


@pytest.mark.parametrize(
    ("options", "option", "says"),
    [
        ({"categories": "zzz, llm"}, "categories", "I don't know the category 'zzz'."),
        # the other options' words in the categories option make no 03:00 UTC English post
        ({"categories": "LLM at 03:00 UTC en"}, "categories", "Did you mean LLM?"),
        ({"time": "25:00"}, "time", "isn't a time of day"),
        ({"timezone": "Mars/Base"}, "timezone", "I don't know the time zone 'Mars/Base'"),
        ({"language": "fr"}, "language", "ko or en"),
        ({"kinds": "papers", "categories": "products"}, "categories", "a news category"),
        ({"kinds": "weekly"}, "kinds", "'weekly' is not a kind"),
    ],
)
def test_a_bad_subscribe_value_names_its_option(
    options: dict[str, str], option: str, says: str
) -> None:
    got = subscribe_options(TX, **options)  # type: ignore[arg-type]
    assert isinstance(got, OptionError)
    assert got.option == option and says in got.message


def test_search_values_become_a_query() -> None:
    # "papers" and "llm" typed into the words are words to find, not a kind and a category
    got = search_options(TX, words="diffusion papers llm", kind="papers", category="cv")
    assert got == SearchQuery("diffusion papers llm", "papers", "computer-vision")
    empty = search_options(TX, words="  ")
    assert isinstance(empty, OptionError) and empty.option == "words"
    bad = search_options(TX, words="x", category="zzz")
    assert isinstance(bad, OptionError) and bad.option == "category"
