"""Long answers over signed HTTP, paged by characters as well as blocks: a section of some
20,000 characters answered as the ack and response_url messages, a button's answer as the page
it replaces and new messages after it, and the five-message cut with its note. Every message is
within 12,000 characters of block text and 50 blocks, and no link or entity is ever cut."""

from __future__ import annotations

import logging
import re
import time
from dataclasses import replace
from typing import Any

import httpx
import pytest

from bot.slack_bot.actions import OPEN
from bot.slack_bot.mrkdwn import safe_url
from core.digest import Section, SourceRef
from core.pipeline import BuiltDay
from tests.bot.helpers import publish
from tests.bot.slack_bot.conftest import Served
from tests.doubles.slack_rules import (
    MAX_BLOCKS,
    MAX_BLOCKS_TEXT,
    block_errors,
    blocks_text_length,
    markup,
    message_texts,
)

DAY_ = "2024-10-04"
CUT_NOTE = "More than fits here"


def long_section(day: BuiltDay, sources: int) -> tuple[BuiltDay, Section]:
    """The day with papers/LLM given `sources` sources, each titled with ~280 characters of
    feed text full of `&` and `<…>` (escaped to entities) and a URL with a `&` in its query."""
    en = day.digests["en"]
    llm = en.section("papers", "llm")
    assert llm is not None
    refs = [
        SourceRef(
            n=i,
            item_id=f"big{i}",
            title=f"Paper {i}: " + "Q&A <b>tuning</b> & evals " * 10,
            url=f"https://arxiv.example/abs/{i}?v=1&src=feed",
            source="arxiv",
        )
        for i in range(1, sources + 1)
    ]
    big = llm.model_copy(update={"sources": refs, "total": sources})
    sections = [big if s is llm else s for s in en.sections]
    digest = en.model_copy(update={"sections": sections})
    return replace(day, digests={**day.digests, "en": digest}), big


def check(message: dict[str, Any], section: Section) -> None:
    """Within Slack's limits; every `<…>` a whole link to one of the section's sources (or its
    citations); every `&` the start of a whole entity."""
    blocks = message["blocks"]
    assert not block_errors(blocks), block_errors(blocks)
    assert len(blocks) <= MAX_BLOCKS and blocks_text_length(blocks) <= MAX_BLOCKS_TEXT
    urls = {safe_url(ref.url) for ref in section.sources}
    for text in message_texts(message):
        assert text.count("<") == text.count(">"), text[:80]
        for token in markup(text):
            assert token.split("|", 1)[0] in urls, token
        assert not re.findall(r"&(?!amp;|lt;|gt;)", text), text[:80]


def listed(messages: list[dict[str, Any]]) -> list[int]:
    """The source numbers the messages list, in order (lines `n. <url|title> — source`)."""
    text = "\n".join(t for m in messages for t in message_texts(m)[1:])
    return [int(n) for n in re.findall(r"^(\d+)\. <https://arxiv\.example/abs/", text, re.M)]


def follow_ups(app: Served, count: int) -> list[dict[str, Any]]:
    """The messages that followed the ack on its response_url, once `count` have arrived."""
    deadline = time.monotonic() + 5
    while len(app.api.responses) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.1)  # and no more after them
    return list(app.api.responses)


def test_a_long_section_is_answered_in_pages_by_characters(app: Served, day: BuiltDay) -> None:
    built, llm = long_section(day, 60)
    publish(built)
    ack = app.command(f"papers llm {DAY_}").json()
    rest = follow_ups(app, 1)
    pages = [ack, *rest]
    total = sum(blocks_text_length(m["blocks"]) for m in pages)
    assert total > 18_000 and 2 <= len(pages) <= 5  # over 11k: more than one message
    assert all(len(m["blocks"]) < MAX_BLOCKS for m in pages)  # split by characters, not count
    for m in pages:
        check(m, llm)
        assert m["response_type"] == "ephemeral"
    assert ack["blocks"][0]["text"]["text"] == f"LLM · Papers · {DAY_}"
    assert all(not r.get("replace_original") for r in rest)  # each a message of its own
    assert listed(pages) == list(range(1, 61))  # every source once, in order
    assert pages[-1]["blocks"][-1]["type"] == "actions"  # the day/overview buttons come last
    assert CUT_NOTE not in str(pages)
    assert len(app.api.ephemerals) == len(pages)  # as the user sees them


def test_a_button_turns_the_page_then_adds_the_rest(app: Served, day: BuiltDay) -> None:
    built, llm = long_section(day, 60)
    publish(built)
    app.command(f"papers {DAY_}")
    ts = app.shown_ts
    app.press(ts, OPEN, value=f"papers|llm|{DAY_}|en")
    first = app.api.shown(ts)
    assert first is not None and first["blocks"][0]["text"]["text"] == f"LLM · Papers · {DAY_}"
    rest = [m for m in app.api.ephemerals if m["ts"] != ts]
    assert rest and len(app.api.ephemerals) == 1 + len(rest) <= 5
    for m in [first, *rest]:
        check(m, llm)
    assert listed([first, *rest]) == list(range(1, 61))
    replaced, *added = app.api.responses
    assert replaced["replace_original"] is True
    assert all(r["replace_original"] is False for r in added)


def test_more_than_five_messages_are_cut_with_a_note(app: Served, day: BuiltDay) -> None:
    built, llm = long_section(day, 250)  # some 90,000 characters: nine messages or so
    publish(built)
    ack = app.command(f"papers llm {DAY_}").json()
    pages = [ack, *follow_ups(app, 4)]
    assert len(pages) == 5  # the ack and four on the response_url: never more
    for m in pages:
        check(m, llm)
    shown = listed(pages)
    assert shown == list(range(1, len(shown) + 1)) and 60 < len(shown) < 250
    last = pages[-1]["blocks"][-1]
    assert last["type"] == "context" and CUT_NOTE in last["elements"][0]["text"]
    assert CUT_NOTE not in str(pages[:-1])

    app.api.reset()  # the same answer from a button: five messages on the press's response_url
    app.command(f"papers {DAY_}")
    app.press(app.shown_ts, OPEN, value=f"papers|llm|{DAY_}|en")
    assert len(app.api.responses) == 5 and len(app.api.ephemerals) == 5
    assert [s for _, s, _ in app.api.response_answers] == [200] * 5  # all five uses, none over
    for m in app.api.ephemerals:
        check(m, llm)
    assert CUT_NOTE in str(app.api.ephemerals[-1]["blocks"][-1])


def use_up(app: Served, url: str, times: int) -> None:
    """Post `times` messages to a response_url, as if its answer had already taken them."""
    for i in range(times):
        assert httpx.post(url, json={"text": f"earlier {i}"}).status_code == 200


def test_a_response_url_used_up_midway_stops_the_answer_and_says_why(
    app: Served, day: BuiltDay, caplog: pytest.LogCaptureFixture
) -> None:
    """A response_url takes five messages: once Slack says used_url the bot sends no more (each
    would be refused too) and logs what was left unsent; the pages before it stand."""
    built, llm = long_section(day, 250)
    publish(built)
    caplog.set_level(logging.WARNING)
    url = app.api.response_url()
    use_up(app, url, 3)  # two uses left for the four pages after the ack
    app.command(f"papers llm {DAY_}", response_url=url)
    deadline = time.monotonic() + 5
    while len(app.api.response_answers) < 6 and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.2)  # and nothing after the refusal
    statuses = [(s, t) for _, s, t in app.api.response_answers]
    assert statuses == [(200, "ok")] * 5 + [(404, "used_url")]
    assert "response_url refused message 3 of 4 (404 used_url): the rest is not sent" in (
        caplog.text
    )
    answered = [m for m in app.api.ephemerals if m.get("blocks")]  # not the earlier texts
    assert len(answered) == 3  # the ack and the two pages that fitted
    for m in answered:
        check(m, llm)

    app.api.reset()
    caplog.clear()
    app.command(f"papers {DAY_}")
    payload = app.api.press(app.shown_ts, OPEN, value=f"papers|llm|{DAY_}|en")
    use_up(app, payload["response_url"], 3)
    assert app.interact(payload).status_code == 200
    statuses = [(s, t) for _, s, t in app.api.response_answers]
    assert statuses == [(200, "ok")] * 5 + [(404, "used_url")]
    assert "response_url refused message 3 of 5 (404 used_url): the rest is not sent" in (
        caplog.text
    )
    turned = app.api.shown(app.shown_ts)  # the first page still replaced the overview
    assert turned is not None and turned["blocks"][0]["text"]["text"] == f"LLM · Papers · {DAY_}"
