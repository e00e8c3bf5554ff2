"""A taxonomy with more categories than one select menu offers (Discord: 25 options a menu, 5
action rows a message): an overview's answer gets as many menus as it needs, every category in
one of them, and a pick from a later menu opens its section, end to end over the stand-in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
import redis

from bot.discord_bot.components import FOREIGN, Press, Refusal, overview_layout, read
from core.digest import Digest, KindDigest
from core.items import Kind
from core.pipeline import BuiltDay
from core.query import ShowQuery
from core.taxonomy import Category, Taxonomy, load_taxonomy
from tests import days
from tests.bot.discord_bot.guilds import serving_a_guild
from tests.bot.discord_bot.helpers import PREFIX, BotThread, Day
from tests.doubles.discord_control import Control
from tests.doubles.discord_rules import MAX_ROWS, component_problems
from tests.doubles.discord_server import StandIn

SELECT = 3
EXTRA = 30  # more news categories than one menu holds, with the demo's own


def wide_taxonomy(extra: int = EXTRA, kinds: tuple[Kind, ...] = ("news",)) -> Taxonomy:
    """The shipped taxonomy with `extra` more categories in each of `kinds`."""
    tx = load_taxonomy()
    cats = dict(tx.categories)
    for kind in kinds:
        more = [Category(f"extra-{n:03d}", f"Extra {n}", kind) for n in range(1, extra + 1)]
        cats[kind] = (*tx.of(kind), *more)
    return Taxonomy(cats)


def wide_digest(digest: Digest, extra: int = EXTRA, kinds: tuple[Kind, ...] = ("news",)) -> Digest:
    """`digest` with `extra` more sections of each of `kinds` (copies of its first one)."""
    sections, new_kinds = list(digest.sections), dict(digest.kinds)
    for kind in kinds:
        kd = digest.kinds[kind]
        first = next(s for s in digest.sections if s.kind == kind)
        ids = [f"extra-{n:03d}" for n in range(1, extra + 1)]
        sections += [first.model_copy(update={"category": c, "name": f"Extra {int(c[6:])}"})
                     for c in ids]  # fmt: skip
        new_kinds[kind] = kd.model_copy(update={
            "sections": [*kd.sections, *ids],
            "counts": {**kd.counts, **dict.fromkeys(ids, 1)},
            "names": {**kd.names, **{c: f"Extra {int(c[6:])}" for c in ids}},
        })  # fmt: skip
    return digest.model_copy(update={"sections": sections, "kinds": new_kinds})


def rows_of(digest: Digest) -> list[dict[str, Any]]:
    layout = overview_layout(digest, ["news", "papers"])
    assert layout is not None
    return layout.to_components()


def test_every_kind_keeps_a_menu_within_five_rows(day: Day) -> None:
    """200 categories a kind: 16 menus' worth, in 5 rows; what does not fit says to type it."""
    digest = wide_digest(day.built.digests["en"], 200, ("news", "papers"))
    rows = rows_of(digest)
    assert component_problems(rows) == []  # the stand-in's rules, Discord's
    menus = [r["components"][0] for r in rows]
    assert len(menus) == MAX_ROWS
    assert [m["custom_id"].split(":")[3] for m in menus] == ["news"] * 4 + ["papers"]
    assert "type the rest" in menus[3]["placeholder"] and "type the rest" in menus[4]["placeholder"]
    assert "(1–25 of " in menus[0]["placeholder"] and "(26–50 of " in menus[1]["placeholder"]


def test_a_later_menus_id_reads_back_and_a_made_up_one_does_not() -> None:
    tx = wide_taxonomy()
    got = read("aidigest:1:p:news:-2:2024-10-04", ["extra-030"], tx)
    assert isinstance(got, Press)
    assert got.query == ShowQuery(("news",), "extra-030", dt.date(2024, 10, 4))
    for slot in ("-9", "-x", "llm"):
        assert read(f"aidigest:1:p:news:{slot}:2024-10-04", ["llm"], tx) == Refusal(FOREIGN)


@pytest.fixture(scope="module")
def wide_day(db: redis.Redis, day: Day) -> BuiltDay:
    """A day ten days before `day` with EXTRA more news sections, published."""
    built = days.redate(day.built, dt.date.fromisoformat(day.date) - dt.timedelta(days=10))
    built = replace(built, digests={"en": wide_digest(built.digests["en"])})
    days.publish(db, built, PREFIX)
    return built


@pytest.fixture(scope="module")
def guild(stand_in: StandIn, control: Control, wide_day: BuiltDay) -> Iterator[dict[str, Any]]:
    yield from serving_a_guild(BotThread(stand_in, taxonomy=wide_taxonomy()), control, "wide")


def test_a_wide_kind_gets_a_menu_per_25_categories(
    guild: dict[str, Any], control: Control, wide_day: BuiltDay
) -> None:
    res = control.interact(guild["id"], "show", {"kind": "news", "date": wide_day.date})
    assert res["callbacks"], res.get("refused")  # the stand-in took the message: within limits
    data, overview = res["callbacks"][0]["data"], res["messages"][0]
    menus = [c for row in data["components"] for c in row["components"]]
    assert all(m["type"] == SELECT for m in menus)
    offered = [o["value"] for m in menus for o in m["options"]]
    news: KindDigest = wide_day.digests["en"].kinds["news"]
    assert len(news.sections) > 25 and len(menus) == -(-len(news.sections) // 25)
    assert offered == news.sections  # every category, once, most items first

    picked = control.press(guild["id"], overview["id"], menus[1]["custom_id"], ["extra-030"])
    assert picked["callbacks"], picked.get("refused")
    (title, *_) = [e["title"] for e in picked["callbacks"][0]["data"]["embeds"] if e.get("title")]
    assert title == f"Extra 30 · News · {wide_day.date}"
