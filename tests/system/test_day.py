"""End to end: the Procfile's processes play a day, then a second day, then look up the first.

The cron process's tick enqueues the build once the (shifted) clock is past 07:00 in Asia/Seoul;
the worker collects from the source stand-in, classifies and summarises with the LLM stand-in,
draws, publishes into Redis; both bots post to every subscribed channel at its local 07:01 (or
08:01 in Brisbane: the same instant) and answer `/aidigest` from Redis.
"""

from __future__ import annotations

from datetime import date

import pytest

from core.store.keys import Keys
from tests.system.play import DAILY, Day, World, check_post
from tests.system.posts import check_citations, section_title, text_of
from tests.workers.procs import published
from workers.builds import Builds

pytestmark = [pytest.mark.system, pytest.mark.timeout(900)]
DAY1, DAY2 = date(2024, 10, 3), date(2024, 10, 4)


def play(world: World, when: date) -> Day:
    day = world.open_day(when)
    world.wait_published(day)
    world.wait_delivered(day)
    return day


def check_complete(world: World, day: Day) -> None:
    """Every source answered, every section was summarised by the LLM, in both languages,
    with both kinds' charts; the build was the cron's."""
    with world.stack.redis_client() as r:
        rec = Builds(r, Keys()).record(day.iso)
        store = published(r)
        charts = [store.chart(day.iso, k) or b"" for k in ("news", "papers")]
    assert rec is not None and rec.state == "ready" and rec.reason == "tick", rec
    assert all(png.startswith(b"\x89PNG") for png in charts)
    for lang in ("ko", "en"):
        digest = world.digest(day.iso, lang)
        assert [s.name for s in digest.build.sources if not s.ok] == []
        assert digest.build.llm == "stand-in" and digest.build.llm_calls > 0
        for kind in ("news", "papers"):
            assert digest.kinds[kind].sections, f"{lang}: no {kind} section"
        assert {s.mode for s in digest.sections} == {"llm"}


def check_slash_lookups(world: World, day: Day, when: str) -> None:
    """`/aidigest <kind> <category> <when>` on both platforms answers that day's section."""
    digest = world.digest(day.iso, "ko")  # DIGEST_LANGUAGE: what commands answer in
    for kind in ("papers", "news"):
        s = next(x for x in digest.sections if x.kind == kind)
        slack = world.slack_command(f"{kind} {s.category} {when}")
        check_citations("slack", s, "\n" + text_of(slack))
        assert section_title(s) in text_of(slack)
        answer = world.discord_command("show", {"kind": kind, "category": s.category, "date": when})
        assert section_title(s) in text_of(answer)
        check_citations("discord", s, "\n" + text_of(answer))


def test_the_cron_builds_a_day_and_both_bots_post_it_and_answer_for_it(world: World) -> None:
    day = world.open_day(DAY1)
    world.wait_published(day)
    check_complete(world, day)  # enqueued by the cron process's tick
    world.wait_delivered(day)
    for sub in DAILY:
        check_post(world, sub, day)
    check_slash_lookups(world, day, day.iso)


def test_a_second_day_then_a_lookup_of_the_first(world: World) -> None:
    first = world.played.get(DAY1.isoformat()) or play(world, DAY1)
    day = play(world, DAY2)
    check_complete(world, day)
    for sub in DAILY:
        check_post(world, sub, day)
        check_post(world, sub, first)  # still exactly once: the second day did not repost it
    check_slash_lookups(world, first, "yesterday")
    dates = text_of(world.slack_command("dates"))
    assert DAY1.isoformat() in dates and DAY2.isoformat() in dates
    listed = text_of(world.discord_command("dates"))
    assert DAY1.isoformat() in listed and DAY2.isoformat() in listed
