"""Buttons and select menus, end to end over the gateway: a whole kind is its overview with a
menu of its categories; a section has buttons to the ready day before and after (they move the
private message in place) and back to the overview; a stale or foreign control gets a polite
refusal. Presses are real component interactions on the messages the bot sent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
import redis

from bot.discord_bot.components import FOREIGN, STALE
from tests import days
from tests.bot.discord_bot.helpers import PREFIX, BotThread, Day, guild_for
from tests.doubles.discord_control import Control
from tests.doubles.discord_server import StandIn

EPHEMERAL = 64
BUTTON, SELECT = 2, 3


@pytest.fixture(scope="module")
def earlier(db: redis.Redis, day: Day) -> list[str]:
    """Two more ready days, with a gap: the day before `day` and three days before."""
    out = []
    for back in (1, 3):
        when = dt.date.fromisoformat(day.date) - dt.timedelta(days=back)
        days.publish(db, days.redate(day.built, when), PREFIX)
        out.append(when.isoformat())
    return out


@pytest.fixture(scope="module")
def guild(bot: BotThread, control: Control, earlier: list[str]) -> dict[str, Any]:
    assert bot.client is not None
    bot.client.handlers.answers.clear()  # the days just published: as the ready event does
    return guild_for(bot, control, "clicky", [{"name": "general"}])


def first_answer(res: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the callback, the message it made) of an interaction's record."""
    assert res["callbacks"], res.get("refused")
    return res["callbacks"][0], res["messages"][0]


def components(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for row in data.get("components", []) for c in row["components"]]


def test_a_whole_kind_is_its_overview_with_a_menu(
    guild: dict[str, Any], control: Control, day: Day
) -> None:
    res = control.interact(guild["id"], "show", {"kind": "news", "date": day.date})
    cb, _ = first_answer(res)
    assert cb["type"] == 4 and not res["followups"]  # one message, not every section
    (embed,) = cb["data"]["embeds"]
    assert embed["title"] == f"News · {day.date}"
    news = [s for s in day.built.digests["en"].sections if s.kind == "news"]
    for s in news:  # each category with its count and its top title
        count = day.built.digests["en"].kinds["news"].counts[s.category]
        assert f"**{s.name}** ({count})" in embed["description"]
        assert s.sources[0].url in embed["description"]
    assert [f["png"] for f in cb["files"]] == [True]
    (menu,) = components(cb["data"])
    assert menu["type"] == SELECT and menu["custom_id"] == f"aidigest:1:p:news:-:{day.date}"
    assert [o["value"] for o in menu["options"]] == [s.category for s in news]


def test_picking_a_category_then_walking_the_days(
    guild: dict[str, Any], control: Control, day: Day, earlier: list[str]
) -> None:
    gid = guild["id"]
    res = control.interact(gid, "show", {"kind": "papers", "date": day.date})
    _, overview = first_answer(res)
    menu = components(overview)[0]
    picked = control.press(gid, overview["id"], menu["custom_id"], ["llm"])
    cb, section = first_answer(picked)
    assert cb["type"] == 4 and cb["data"]["flags"] & EPHEMERAL  # a new private message
    assert cb["data"]["embeds"][0]["title"] == f"LLM · Papers · {day.date}"
    before, after, back = components(cb["data"])
    assert (before["label"], before.get("disabled", False)) == (f"◀ {earlier[0]}", False)
    assert after["disabled"] is True  # the newest day: nothing after it
    assert back["label"] == "Overview"

    moved = control.press(gid, section["id"], before["custom_id"])
    cb = moved["callbacks"][0]
    assert cb["type"] == 7  # the same message, now the day before
    assert cb["data"]["embeds"][0]["title"] == f"LLM · Papers · {earlier[0]}"
    before, after, _ = components(cb["data"])
    assert before["label"] == f"◀ {earlier[1]}" and after["label"] == f"{day.date} ▶"

    again = control.press(gid, section["id"], before["custom_id"])  # the gap is skipped
    cb = again["callbacks"][0]
    assert cb["data"]["embeds"][0]["title"].endswith(earlier[1])

    back = components(cb["data"])[2]  # the buttons now on the message: that day's overview
    overview_again = control.press(gid, section["id"], back["custom_id"])
    cb = overview_again["callbacks"][0]
    assert cb["type"] == 4 and cb["data"]["embeds"][0]["title"] == f"Papers · {earlier[1]}"


@pytest.mark.parametrize(
    ("custom_id", "says"),
    [
        ("aidigest:0:s:papers:llm:2024-10-04", STALE),  # an older version's button
        ("aidigest:1:s:papers:no-such-thing:2024-10-04", FOREIGN),
        ("aidigest:1:s:papers:llm:2024-13-45", FOREIGN),
        ("aidigest:1:zz", FOREIGN),
        ("someone-else:42", FOREIGN),
    ],
)
def test_stale_and_foreign_controls_get_a_polite_refusal(
    stand_in: StandIn, guild: dict[str, Any], control: Control, custom_id: str, says: str
) -> None:
    channel = guild["channels"][0]
    row = {"type": 1, "components": [{"type": 2, "style": 2, "label": "go",
                                      "custom_id": custom_id}]}  # fmt: skip
    auth = {"Authorization": f"Bot {stand_in.token}"}
    old = httpx.post(f"{stand_in.api_base}/channels/{channel}/messages", headers=auth,
                     json={"content": "an old post", "components": [row]}).json()  # fmt: skip
    res = control.press(guild["id"], old["id"], custom_id, channel_id=channel)
    cb = res["callbacks"][0]
    assert cb["type"] == 4 and cb["data"]["flags"] & EPHEMERAL
    assert cb["data"]["content"] == says
