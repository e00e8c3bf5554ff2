"""Buttons over signed HTTP, as Slack sends them: a kind's overview opens its sections, a
section goes to the day before or after and back to the overview; a shared answer answers the
presser alone; stale or forged buttons are refused politely."""

from __future__ import annotations

import copy
import time
from dataclasses import replace
from datetime import date
from typing import Any

import httpx

from bot.slack_bot.actions import DAY, OPEN, OVERVIEW
from core.escape import mrkdwn
from core.pipeline import BuiltDay
from tests.bot.helpers import HOSTILE, hostile, publish
from tests.bot.slack_bot.conftest import SECRET, Served
from tests.days import redate
from tests.doubles.slack_requests import interaction_body, signed_headers
from tests.doubles.slack_rules import block_errors, markup, message_texts

DAY_ = "2024-10-04"


def shown(app: Served, ts: str) -> dict[str, Any]:
    msg = app.api.shown(ts)
    assert msg is not None
    assert not block_errors(msg["blocks"]), block_errors(msg["blocks"])
    return msg


def text(msg: dict[str, Any]) -> str:
    return "\n".join(message_texts(msg))


def headline(msg: dict[str, Any]) -> str:
    return str(msg["blocks"][0]["text"]["text"])


def buttons(msg: dict[str, Any]) -> list[str]:
    out = []
    for b in msg["blocks"]:
        for el in [*(b.get("elements") or []), *([b["accessory"]] if "accessory" in b else [])]:
            if el.get("type") == "button":
                out.append(el["text"]["text"])
    return out


def test_a_kind_answers_with_a_compact_overview(app: Served, day: BuiltDay) -> None:
    publish(day)
    r = app.command(f"papers {DAY_}")
    overview = shown(app, app.shown_ts)
    assert r.json()["response_type"] == "ephemeral" and app.api.responses == []  # one message
    assert headline(overview) == f"Papers · {DAY_}"
    papers = day.digests["en"].kinds["papers"]
    body = text(overview)
    assert "████" in body  # the chart, as text
    for cat in papers.sections:
        assert f"*{mrkdwn(papers.names[cat])}* — {papers.counts[cat]}" in body
    assert buttons(overview).count("Open") == len(papers.sections)
    llm = day.digests["en"].section("papers", "llm")
    assert llm is not None and all(ref.url in body for ref in llm.sources[:3])
    assert llm.sources[3].url not in body  # the top titles only


def test_a_category_button_turns_the_page_and_the_nav_goes_back(app: Served, day: BuiltDay) -> None:
    publish(day)
    app.command(f"papers {DAY_}")
    ts = app.shown_ts
    app.press(ts, OPEN, value=f"papers|llm|{DAY_}|en")
    page = shown(app, ts)  # the same message, replaced
    assert headline(page) == f"LLM · Papers · {DAY_}"
    llm = day.digests["en"].section("papers", "llm")
    assert llm is not None and all(ref.url in text(page) for ref in llm.sources)
    assert buttons(page) == ["All Papers"]  # the only ready day: no day before or after
    app.press(ts, OVERVIEW)
    assert headline(shown(app, ts)) == f"Papers · {DAY_}"
    assert len(app.api.ephemerals) == 1  # every answer replaced the caller's one message


def test_the_day_before_and_after(app: Served, day: BuiltDay) -> None:
    for d in (date(2024, 10, 2), date(2024, 10, 4), date(2024, 10, 7)):
        publish(redate(day, d))
    app.command("papers llm 2024-10-04")
    ts = app.shown_ts
    assert buttons(shown(app, ts)) == ["◀ 2024-10-02", "All Papers", "2024-10-07 ▶"]
    app.press(ts, DAY, value="papers|llm|2024-10-07|en")
    page = shown(app, ts)
    assert headline(page) == "LLM · Papers · 2024-10-07"
    assert buttons(page) == ["◀ 2024-10-04", "All Papers"]
    app.press(ts, DAY, value="papers|llm|2024-10-04|en")
    assert headline(shown(app, ts)) == "LLM · Papers · 2024-10-04"


def test_a_day_without_the_section_says_what_would_work(app: Served, day: BuiltDay) -> None:
    publish(day)
    app.command(f"papers llm {DAY_}")
    payload = app.api.press(app.shown_ts, OVERVIEW)
    payload["actions"][0]["value"] = "papers|llm|2024-09-30|en"  # an old message's button
    assert app.interact(payload).status_code == 200
    assert "There is no digest for 2024-09-30" in text(shown(app, app.shown_ts))


def test_a_shared_answer_answers_the_presser_alone(app: Served, day: BuiltDay) -> None:
    publish(day)
    assert app.command(f"share papers {DAY_}").json()["response_type"] == "in_channel"
    [shared] = app.api.posts("C1")
    before = copy.deepcopy(shared)
    app.press(shared["ts"], OPEN, value=f"papers|llm|{DAY_}|en", user="U2")
    assert app.api.posts("C1") == [before]  # the channel's message is as it was
    [mine] = [m for m in app.api.ephemerals if m["user"] == "U2"]
    assert headline(mine) == f"LLM · Papers · {DAY_}" and not block_errors(mine["blocks"])


def test_the_day_overview_has_every_kinds_buttons(app: Served, day: BuiltDay) -> None:
    publish(day)
    app.command(DAY_)
    overview = shown(app, app.shown_ts)
    names = buttons(overview)
    assert "All News" in names and "All Papers" in names
    app.press(app.shown_ts, OVERVIEW, value=f"news|*|{DAY_}|en")
    assert headline(shown(app, app.shown_ts)) == f"News · {DAY_}"


def test_stale_and_forged_buttons_are_refused_politely(app: Served, day: BuiltDay) -> None:
    publish(day)
    app.command(f"papers {DAY_}")
    ts = app.shown_ts
    good = app.api.press(ts, OPEN, value=f"papers|llm|{DAY_}|en")
    forged: list[tuple[str, str]] = [
        ("aidigest.v0.open", f"papers|llm|{DAY_}|en"),  # an older version's button
        ("someone.elses.button", "x"),
        (OPEN, "papers|llm|2024-13-45|en"),
        (OPEN, "papers|<!channel>|2024-10-04|en"),
        (OPEN, "gossip|llm|2024-10-04|en"),
        (OPEN, "papers|llm|2024-10-04|en|extra"),
    ]
    for action_id, value in forged:
        payload = copy.deepcopy(good)
        payload["actions"][0].update(action_id=action_id, value=value)
        payload["response_url"] = app.api.response_url(original=ts)
        assert app.interact(payload).status_code == 200
        assert "out of date" in text(app.api.ephemerals[-1]), (action_id, value)
        assert headline(shown(app, ts)) == f"Papers · {DAY_}"  # the answer is left alone
    assert "&lt;!channel&gt;" not in "".join(text(m) for m in app.api.ephemerals)


def test_a_button_press_with_a_bad_signature_gets_401_and_changes_nothing(
    app: Served, day: BuiltDay
) -> None:
    publish(day)
    app.command(f"papers {DAY_}")
    ts = app.shown_ts
    body = interaction_body(app.api.press(ts, OPEN, value=f"papers|llm|{DAY_}|en"))
    url = f"{app.url}/slack/events"
    forged = signed_headers("not-the-secret", body)
    assert httpx.post(url, content=body, headers=forged, timeout=3.0).status_code == 401
    old = signed_headers(SECRET, body, int(time.time()) - 301)
    assert httpx.post(url, content=body, headers=old, timeout=3.0).status_code == 401
    assert app.api.responses == [] and headline(shown(app, ts)) == f"Papers · {DAY_}"
    good = signed_headers(SECRET, body)  # the same press, signed: it turns the page
    assert httpx.post(url, content=body, headers=good, timeout=3.0).status_code == 200
    assert headline(shown(app, ts)) == f"LLM · Papers · {DAY_}"


def test_hostile_titles_in_an_overview_are_harmless(app: Served, day: BuiltDay) -> None:
    built = hostile(day)
    publish(built)
    first = built.digests["en"].sections[0]
    app.command(f"{first.kind} {DAY_}")
    body = text(shown(app, app.shown_ts))
    assert "&lt;!channel&gt; click &lt;http://evil|here&gt;" in body
    assert HOSTILE not in body
    for token in markup(body):  # every <…> is one of our links
        assert token.split("|", 1)[0].startswith("https://"), token


def test_a_section_opened_again_after_its_day_is_published_again_is_the_new_one(
    app: Served, day: BuiltDay
) -> None:
    """Sections are kept decoded and rendered between presses (core/store/day_cache.py,
    bot/slack_bot/rendered.py) until the day's digest.ready, which the process follows."""
    publish(day)
    app.command(f"papers {DAY_}")
    ts = app.shown_ts
    app.press(ts, OPEN, value=f"papers|llm|{DAY_}|en")
    assert "Written again" not in text(shown(app, ts))
    assert len(app.services.rendered) == 1  # kept for the next press
    app.press(ts, OVERVIEW)
    llm = day.digests["en"].section("papers", "llm")
    assert llm is not None
    again = llm.model_copy(
        update={
            "parts": [llm.parts[0].model_copy(update={"text": "Written again [1]"}), *llm.parts[1:]]
        }
    )
    en = day.digests["en"]
    sections = [again if s is llm else s for s in en.sections]
    publish(
        replace(day, digests={**day.digests, "en": en.model_copy(update={"sections": sections})})
    )
    app.services.published(DAY_)  # what the process does on the publish's digest.ready
    app.press(ts, OPEN, value=f"papers|llm|{DAY_}|en")
    assert "Written again" in text(shown(app, ts))
