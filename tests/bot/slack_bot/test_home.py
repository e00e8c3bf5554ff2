"""The App Home tab over signed HTTP: drawn for 0, 1 and 30 daily posts; add, edit and remove a
post through its modals, each field checked; the policy honoured on every press and submission;
a category button opens its section in a modal that its own buttons update."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest

from bot.common.subscription import Subscription
from bot.slack_bot.actions import DAY, HOME_ADD, HOME_SUB, OPEN
from core.pipeline import BuiltDay
from core.store.keys import sid_of
from tests.bot.helpers import publish, slack_sub
from tests.bot.slack_bot.conftest import Served
from tests.doubles.slack_blockkit import view_errors
from tests.doubles.slack_rules import message_texts

DAY_ = "2024-10-04"


sub = partial(slack_sub, kinds=["papers"], categories=["papers:llm"], time="08:30")


def save(app: Served, *subs: Subscription) -> None:
    for s in subs:
        app.call(app.services.subs.save(s, now=0))


def home_text(view: dict[str, Any]) -> str:
    return "\n".join(message_texts(view))


def saved(app: Served, channel: str) -> Subscription | None:
    return app.call(app.services.subs.get(sid_of("slack", "T1", channel)))


@pytest.mark.parametrize("count", [0, 1, 30])
def test_the_home_tab_with_0_1_and_30_daily_posts(app: Served, day: BuiltDay, count: int) -> None:
    publish(day)
    channels = [f"C{100 + i}" for i in range(count)]
    save(app, *(sub(c, time=f"{6 + i % 12:02d}:15") for i, c in enumerate(channels)))
    view = app.open_home()
    assert view is not None and view_errors(view) == []
    shown = home_text(view)
    assert f"— {DAY_}" in shown and "████" in shown  # the day's overview and chart
    assert "All Papers" in str(view["blocks"])  # with its category buttons
    rows = [b for b in view["blocks"] if "<#C1" in str(b.get("text", {}).get("text", ""))]
    assert len(rows) == count
    for i, c in enumerate(channels):
        assert f"<#{c}>  papers (LLM), daily at {6 + i % 12:02d}:15 Asia/Seoul, in English" in shown
    assert ("No channel here gets the daily post yet." in shown) == (count == 0)
    assert all(r["accessory"]["type"] == "overflow" for r in rows)
    assert "Add a daily post" in str(view["blocks"])


def test_add_a_daily_post_from_the_home_tab(app: Served, day: BuiltDay) -> None:
    publish(day)
    home = app.open_home()
    assert home is not None
    app.press(app.api.homes[("T1", "U1")], HOME_ADD)
    modal = app.api.modal("T1", "U1")
    assert modal is not None and view_errors(modal.view) == []
    entered = {
        "channel": "C3",
        "kinds": ["papers", "news"],
        "categories": ["papers:llm", "news:ai-policy-safety"],
        "time": "07:45",
        "tz": "KST",
        "lang": "en",
    }
    assert app.submit(modal.id, entered) == "closed"
    got = saved(app, "C3")
    assert got is not None
    assert (got.kinds, got.categories) == (["papers", "news"], entered["categories"])
    assert (got.time, got.tz, got.lang, got.created_by) == ("07:45", "Asia/Seoul", "en", "U1")
    assert "<#C3>" in home_text(app.api.home("T1", "U1") or {})  # drawn again at once


def test_the_form_says_what_to_fix_next_to_each_field(app: Served, day: BuiltDay) -> None:
    publish(day)
    app.open_home()
    app.api.add_channel("C9", private=True, member=False)
    app.press(app.api.homes[("T1", "U1")], HOME_ADD)
    modal = app.api.modal("T1", "U1")
    assert modal is not None
    bad = {"channel": "C3", "kinds": ["news"], "categories": ["papers:llm"], "time": "07:45"}
    assert app.submit(modal.id, {**bad, "tz": "Mars/Olympus", "lang": "en"}) == "errors"
    assert set(modal.errors) == {"categories", "tz"}
    assert "Mars" in modal.errors["tz"]
    fixed = {**bad, "categories": [], "tz": "Europe/Berlin", "lang": "en", "channel": "C9"}
    assert app.submit(modal.id, fixed) == "errors"
    assert set(modal.errors) == {"channel"} and "invite @aidigest" in modal.errors["channel"]
    assert saved(app, "C3") is None and saved(app, "C9") is None
    assert app.submit(modal.id, {**fixed, "channel": "C3"}) == "closed"
    got = saved(app, "C3")
    assert got is not None and got.tz == "Europe/Berlin" and got.categories == []


def test_edit_then_remove_a_daily_post(app: Served, day: BuiltDay) -> None:
    publish(day)
    save(app, sub("C4"))
    app.open_home()
    home_id = app.api.homes[("T1", "U1")]
    app.press(home_id, HOME_SUB, option="edit|C4")
    modal = app.api.modal("T1", "U1")
    assert modal is not None and "<#C4>" in str(modal.view["blocks"])
    form = {"kinds": ["papers"], "categories": ["papers:llm"], "time": "10:00", "tz": "UTC"}
    with pytest.raises(ValueError, match="offers no"):  # only the languages built are offered
        app.submit(modal.id, {**form, "lang": "ko"})
    assert app.submit(modal.id, {**form, "lang": "en"}) == "closed"
    got = saved(app, "C4")
    assert got is not None and (got.time, got.tz, got.lang) == ("10:00", "UTC", "en")
    assert got.created_at == "2024-10-01T00:00:00+00:00"
    app.press(home_id, HOME_SUB, option="remove|C4")
    confirm = app.api.modal("T1", "U1")
    assert confirm is not None and "Stop the daily post in <#C4>?" in str(confirm.view)
    assert app.submit(confirm.id, {}) == "closed"
    assert saved(app, "C4") is None
    assert "No channel here gets the daily post yet." in home_text(app.api.home("T1", "U1") or {})


def test_only_admins_change_posts_when_the_policy_says_so(app: Served, day: BuiltDay) -> None:
    publish(day)
    save(app, sub("C4"))
    app.services.policy = "admins"
    member = app.open_home("U1")
    assert member is not None and "Add a daily post" not in str(member)
    assert "Only workspace admins and owners" in home_text(member)
    assert "overflow" not in str(member)
    admin = app.open_home("U2")
    assert admin is not None and "Add a daily post" in str(admin)
    app.press(app.api.homes[("T1", "U2")], HOME_ADD, user="U2")
    modal = app.api.modal("T1", "U2")
    assert modal is not None
    payload = app.api.press(app.api.homes[("T1", "U2")], HOME_ADD, user="U2")
    payload["user"]["id"] = "U1"  # a member replaying an admin's button
    payload["trigger_id"] = app.api.issue_trigger("T1", "U1")
    app.interact(payload)
    notice = app.api.modal("T1", "U1")
    assert notice is not None and "Only workspace admins" in str(notice.view)


def test_a_member_cannot_submit_remove_once_the_policy_is_admins(
    app: Served, day: BuiltDay
) -> None:
    """The confirmation was opened while anyone could remove; the submission is checked again."""
    publish(day)
    save(app, sub("C4"))
    app.open_home("U1")
    app.press(app.api.homes[("T1", "U1")], HOME_SUB, option="remove|C4")
    confirm = app.api.modal("T1", "U1")
    assert confirm is not None and "Stop the daily post in <#C4>?" in str(confirm.view)
    app.services.policy = "admins"  # U1 is a member, not an admin
    assert app.submit(confirm.id, {}) == "updated"
    assert "Only workspace admins and owners can remove daily posts" in str(confirm.view)
    assert saved(app, "C4") is not None  # still posted daily
    app.open_home("U2")  # an admin may
    app.press(app.api.homes[("T1", "U2")], HOME_SUB, option="remove|C4", user="U2")
    by_admin = app.api.modal("T1", "U2")
    assert by_admin is not None and app.submit(by_admin.id, {}) == "closed"
    assert saved(app, "C4") is None


def test_a_category_button_opens_its_section_in_a_modal(app: Served, day: BuiltDay) -> None:
    publish(day)
    app.open_home()
    app.press(app.api.homes[("T1", "U1")], OPEN, value=f"papers|llm|{DAY_}|en")
    modal = app.api.modal("T1", "U1")
    assert modal is not None and view_errors(modal.view) == []
    assert modal.view["blocks"][0]["text"]["text"] == f"LLM · Papers · {DAY_}"
    app.press(modal.id, OPEN.replace("open", "overview"))
    assert app.api.modal("T1", "U1") is modal  # the same modal, updated
    assert modal.view["blocks"][0]["text"]["text"] == f"Papers · {DAY_}"
    assert DAY  # the day buttons work the same way (tests/bot/slack_bot/test_buttons.py)
