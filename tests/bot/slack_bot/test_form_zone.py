"""The Home tab's daily-post form reads its time zone as one typed value (the shared builder, as
Discord's `timezone` option), over signed HTTP: a zone followed by words of other options
(`UTC en`, `Seoul LLM`) is an unknown zone said under the zone field, never UTC in English nor an
unknown category; a city alone is its zone."""

from __future__ import annotations

import pytest

from bot.slack_bot.actions import HOME_ADD
from core.pipeline import BuiltDay
from core.store.keys import sid_of
from tests.bot.helpers import publish
from tests.bot.slack_bot.conftest import Served

FORM = {"channel": "C3", "kinds": ["papers"], "categories": [], "time": "07:45", "lang": "en"}


def open_form(app: Served) -> str:
    app.open_home()
    app.press(app.api.homes[("T1", "U1")], HOME_ADD)
    modal = app.api.modal("T1", "U1")
    assert modal is not None
    return modal.id


@pytest.mark.parametrize(
    ("typed", "hint"),
    [("UTC en", "Did you mean UTC?"), ("Seoul LLM", "Use an IANA name such as Asia/Seoul or UTC.")],
)
def test_a_zone_with_other_words_is_an_unknown_zone(
    app: Served, day: BuiltDay, typed: str, hint: str
) -> None:
    publish(day)
    view_id = open_form(app)
    assert app.submit(view_id, {**FORM, "tz": typed}) == "errors"
    errors = app.api.views[view_id].errors
    assert set(errors) == {"tz"}  # said under the zone field, nothing else
    # the zone named, no category mentioned, no example command (a form is not a command line)
    assert errors["tz"] == f"I don't know the time zone '{typed}'. {hint}"
    assert app.call(app.services.subs.get(sid_of("slack", "T1", "C3"))) is None


@pytest.mark.parametrize(("typed", "tz"), [("Seoul", "Asia/Seoul"), (" berlin ", "Europe/Berlin")])
def test_a_city_alone_is_its_zone(app: Served, day: BuiltDay, typed: str, tz: str) -> None:
    publish(day)
    assert app.submit(open_form(app), {**FORM, "tz": typed}) == "closed"
    got = app.call(app.services.subs.get(sid_of("slack", "T1", "C3")))
    assert got is not None and (got.tz, got.lang, got.time) == (tz, "en", "07:45")


def test_an_empty_zone_asks_for_one(app: Served, day: BuiltDay) -> None:
    publish(day)
    view_id = open_form(app)
    assert app.submit(view_id, {**FORM, "tz": "  "}) == "errors"
    assert app.api.views[view_id].errors == {"tz": "Write a time zone."}
