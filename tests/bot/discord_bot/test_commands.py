"""`/aidigest` as Discord users send it: real interactions over the stand-in's gateway, answered by
the real bot from Redis, callbacks recorded by the stand-in."""

from __future__ import annotations

import time
from typing import Any

import pytest
import redis

from bot.common.subscription import Subscription
from tests.bot.discord_bot.helpers import KEYS, MANAGE_GUILD, MEMBER, BotThread, Day, guild_for
from tests.doubles.discord_control import Control

EPHEMERAL = 64


@pytest.fixture(scope="module")
def guild(bot: BotThread, control: Control) -> dict[str, Any]:
    return guild_for(
        bot, control, "readers", [{"name": "general"}, {"name": "quiet", "post": False}]
    )


def answer(res: dict[str, Any]) -> dict[str, Any]:
    assert res["callbacks"], "the bot did not answer"
    return res["callbacks"][0]  # type: ignore[no-any-return]


def text_of(data: dict[str, Any]) -> str:
    parts = [data.get("content") or ""]
    parts += [f"{e.get('title', '')}\n{e.get('description', '')}" for e in data.get("embeds", [])]
    return "\n".join(parts)


def test_show_answers_the_asked_section(guild: dict[str, Any], control: Control, day: Day) -> None:
    res = control.interact(guild["id"], "show", {"kind": "papers", "category": "llm",
                                                 "date": day.date})  # fmt: skip
    cb = answer(res)
    assert cb["type"] == 4
    data = cb["data"]
    assert data["flags"] & EPHEMERAL
    assert data["allowed_mentions"] == {"parse": []}
    section = day.built.digests["en"].section("papers", "llm")
    assert section is not None
    titles = [e["title"] for e in data["embeds"] if e.get("title")]
    assert titles == [f"LLM · Papers · {day.date}"]
    body = text_of(data)
    assert all(ref.url in body for ref in section.sources)
    other = day.built.digests["en"].section("papers", "model-training")
    assert other is not None and other.sources[0].url not in body


def test_show_overview_attaches_the_charts(guild: dict[str, Any], control: Control) -> None:
    data = answer(control.interact(guild["id"], "show", {}))
    files = {f["filename"]: f for f in data["files"]}
    images = [e["image"]["url"] for e in data["data"]["embeds"]]
    assert len(images) == 2
    for url in images:
        name = url.removeprefix("attachment://")
        assert url.startswith("attachment://") and files[name]["png"]


def test_shared_answers_are_public(guild: dict[str, Any], control: Control, day: Day) -> None:
    options = {"kind": "papers", "category": "cv", "share": True}
    data = answer(control.interact(guild["id"], "show", options))["data"]
    assert not data.get("flags", 0) & EPHEMERAL
    titles = [e["title"] for e in data["embeds"] if e.get("title")]
    assert f"Computer Vision · Papers · {day.date}" in titles
    assert f"Computer Vision · News · {day.date}" not in titles  # papers only, as asked


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({"category": "quantum pottery"}, "category:AI Business"),
        ({"date": "2024-01-01"}, "There is no digest for 2024-01-01"),
        ({"date": "someday"}, "'someday' is not a date"),
        ({"date": "2099-01-01"}, "hasn't happened yet"),
        ({"kind": "news", "category": "robotics"}, "/aidigest show kind:papers category:Robotics"),
    ],
)
def test_show_errors_are_ephemeral_and_say_what_works(
    guild: dict[str, Any], control: Control, options: dict[str, Any], says: str
) -> None:
    data = answer(control.interact(guild["id"], "show", {**options, "share": True}))["data"]
    assert data["flags"] & EPHEMERAL
    assert says in data["content"]
    assert "Try: `/aidigest " in data["content"]


def test_autocomplete_categories_and_dates(
    guild: dict[str, Any], control: Control, day: Day
) -> None:
    got = answer(control.interact(guild["id"], "show", {"kind": "papers", "category": "comp"},
                                  focused="category"))  # fmt: skip
    assert got["type"] == 8
    choices = got["data"]["choices"]
    assert {"name": "Computer Vision", "value": "computer-vision"} in choices
    assert all(c["value"] != "products-tools" for c in choices)  # a news category
    every = answer(control.interact(guild["id"], "show", {"category": ""}, focused="category"))
    assert 12 <= len(every["data"]["choices"]) <= 25
    dates = answer(control.interact(guild["id"], "show", {"date": ""}, focused="date"))
    assert [c["value"] for c in dates["data"]["choices"]] == [day.date]


def sub_of(db: redis.Redis, guild: str, channel: str) -> Subscription | None:
    raw = db.get(KEYS.sub(f"discord:{guild}:{channel}"))
    return None if raw is None else Subscription.model_validate_json(raw)


def test_subscribe_without_manage_server_is_refused(
    guild: dict[str, Any], control: Control, db: redis.Redis
) -> None:
    for sub in ("subscribe", "unsubscribe"):
        data = answer(control.interact(guild["id"], sub, {"kinds": "papers"}, permissions=MEMBER))
        assert data["data"]["flags"] & EPHEMERAL
        assert "Manage Server" in data["data"]["content"]
    assert sub_of(db, guild["id"], guild["channels"][0]) is None


def test_subscribe_unsubscribe_with_manage_server(
    guild: dict[str, Any], control: Control, db: redis.Redis
) -> None:
    gid, general = guild["id"], guild["channels"][0]
    options = {"channel": general, "kinds": "papers", "categories": "LLM, cv", "time": "08:30",
               "timezone": "Asia/Seoul", "language": "en"}  # fmt: skip
    data = answer(control.interact(gid, "subscribe", options, permissions=MEMBER | MANAGE_GUILD))
    assert "08:30 Asia/Seoul" in data["data"]["content"]
    sub = sub_of(db, gid, general)
    assert sub is not None
    assert (sub.kinds, sub.time, sub.tz, sub.lang) == (["papers"], "08:30", "Asia/Seoul", "en")
    assert sub.categories == ["papers:llm", "papers:computer-vision"]
    assert float(db.zscore(KEYS.due("discord"), sub.sid) or 0) > time.time()
    listed = answer(control.interact(gid, "subscriptions", {}))["data"]["content"]
    assert f"<#{general}>" in listed and "LLM" in listed
    gone = answer(control.interact(gid, "unsubscribe", {}, permissions=MANAGE_GUILD))
    assert "Unsubscribed" in gone["data"]["content"]
    assert sub_of(db, gid, general) is None


def test_subscribe_refusals_say_what_works(guild: dict[str, Any], control: Control) -> None:
    quiet = guild["channels"][1]
    manager = MEMBER | MANAGE_GUILD
    cant = answer(control.interact(guild["id"], "subscribe", {"channel": quiet},
                                   permissions=manager))["data"]  # fmt: skip
    assert cant["flags"] & EPHEMERAL and "Send Messages" in cant["content"]
    late = answer(control.interact(guild["id"], "subscribe", {"time": "25:00"},
                                   permissions=manager))["data"]  # fmt: skip
    assert late["flags"] & EPHEMERAL and "time:08:30" in late["content"]


def test_help_and_dates(guild: dict[str, Any], control: Control, day: Day) -> None:
    helped = answer(control.interact(guild["id"], "help", {}))["data"]["content"]
    assert "/aidigest show" in helped and "Computer Vision" in helped
    dates = answer(control.interact(guild["id"], "dates", {}))["data"]["content"]
    assert day.date in dates


def test_a_slow_answer_is_deferred_then_followed_up_with_files(
    bot: BotThread, guild: dict[str, Any], control: Control
) -> None:
    assert bot.client is not None
    bot.client.handlers.defer_after = 0.0  # as if Redis took longer than the defer threshold
    bot.client.handlers.answers.clear()  # a cached answer is ready at once: none is
    try:
        res = control.interact(guild["id"], "show", {})
        assert answer(res)["type"] == 5  # deferred: "thinking…"
        done = control.wait_for(lambda: control.interaction(res["id"])["followups"])
    finally:
        bot.client.handlers.defer_after = 2.0
    first = done[0]
    assert [f["png"] for f in first["files"]] == [True, True]
    assert first["data"]["allowed_mentions"] == {"parse": []}


def test_every_option_is_described(guild: dict[str, Any], control: Control) -> None:
    (aidigest,) = control.commands()["global"]
    for sub in aidigest["options"]:
        for opt in sub.get("options", []):
            # discord.py sends "…" for a parameter nobody described: Discord shows it as is
            assert opt["description"].strip("…. "), f"{sub['name']} {opt['name']}"


def test_dms_answer_reading_and_explain_subscriptions(control: Control, day: Day) -> None:
    listed = answer(control.interact(None, "subscriptions", {}))["data"]
    assert listed["flags"] & EPHEMERAL
    assert "server" in listed["content"] and "No channel of this server" not in listed["content"]
    subscribed = answer(control.interact(None, "subscribe", {"kinds": "papers"}))["data"]
    assert subscribed["flags"] & EPHEMERAL and "server" in subscribed["content"]
    dates = answer(control.interact(None, "dates", {}))["data"]["content"]
    assert day.date in dates


def test_options_stay_typed(guild: dict[str, Any], control: Control, db: redis.Redis) -> None:
    gid, general = guild["id"], guild["channels"][0]
    # "share" inside the category is not the share option: a private error about the category
    data = answer(control.interact(gid, "show", {"category": "LLM share"}))["data"]
    assert data["flags"] & EPHEMERAL
    assert data["content"].startswith("**category**: I don't know the category 'LLM share'")
    assert "`/aidigest show category:LLM`" in data["content"]
    # a time, a zone and a language typed into categories make no subscription
    manager = MEMBER | MANAGE_GUILD
    options = {"channel": general, "categories": "LLM at 03:00 UTC en"}
    data = answer(control.interact(gid, "subscribe", options, permissions=manager))["data"]
    assert data["flags"] & EPHEMERAL and data["content"].startswith("**categories**:")
    assert sub_of(db, gid, general) is None
    # each item of a list is its own category
    options = {"channel": general, "categories": "zzz, llm"}
    data = answer(control.interact(gid, "subscribe", options, permissions=manager))["data"]
    assert "I don't know the category 'zzz'." in data["content"]
    assert sub_of(db, gid, general) is None
