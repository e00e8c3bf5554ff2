"""Every paper and story reaches exactly one digest: 21 mornings of `aidigest build` against the
schedule stand-in (tests/coverage.py says which), with three weekends, Thanksgiving, the week US
clocks change, a missed build, a build run twice and a rebuild of a past day."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from cli.main import main
from tests import coverage
from tests.doubles.schedule_server import ScheduleServer

pytestmark = pytest.mark.slow  # 21 days built whole

Played = tuple[ScheduleServer, coverage.Played]


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Played]:
    with ScheduleServer(coverage.FIRST, coverage.WORLD_DAYS) as world:
        yield world, coverage.play(main, world, tmp_path_factory.mktemp("reports"))


def digest(p: coverage.Played, day: str, lang: str) -> Any:
    return json.loads((p.out / day / f"digest.{lang}.json").read_text("utf-8"))


def test_every_released_item_is_in_exactly_one_digest(played: Played) -> None:
    world, p = played
    got = coverage.check(world, p)
    assert got.problems == []
    assert got.missed == 0 and got.repeated == 0 and got.unexpected == 0
    assert got.released == got.published > 400
    assert got.notes_ok == got.notes_total == 40  # 20 days built, in ko and en


def test_the_missed_day_is_caught_up_and_said(played: Played) -> None:
    _, p = played
    assert coverage.MISSED not in p.built
    assert not (p.out / coverage.MISSED.isoformat()).exists()
    note = digest(p, "2023-11-10", "en")["kinds"]["papers"]["note"]
    assert "This digest covers 2 arXiv announcements (Tuesday, Wednesday 20:00 ET)." in note


def test_the_week_us_clocks_change(played: Played) -> None:
    """US clocks fell back on 2023-11-05 (Seoul's do not change): Sunday's digest was built in
    EDT and names the first announcement in EST, at 10:00 in Seoul instead of 09:00."""
    _, p = played
    en = digest(p, "2023-11-05", "en")["kinds"]["papers"]["note"]
    assert "next: Sunday 20:00 ET (Monday 10:00 KST)" in en
    ko = digest(p, "2023-11-05", "ko")["kinds"]["papers"]["note"]
    assert "다음 발표: 미국 동부 시간 일요일 20:00 (KST 월요일 10:00)" in ko
    rows = (p.out / "2023-11-07" / "items.jsonl").read_text("utf-8").splitlines()
    assert sum(json.loads(r)["source"] == "arxiv" for r in rows) > 10  # Sunday's, on Tuesday


def test_thanksgiving_in_both_languages_and_the_report(played: Played) -> None:
    _, p = played
    en = digest(p, "2023-11-25", "en")["kinds"]["papers"]["note"]
    assert en.startswith(
        "arXiv made no announcement last night (arXiv holiday); next: Sunday 20:00 ET"
    )
    ko = digest(p, "2023-11-25", "ko")["kinds"]["papers"]["note"]
    assert ko.startswith("arXiv는 어젯밤 새 논문을 발표하지 않았습니다(arXiv 휴일).")
    report = (p.out / "2023-11-25" / "report.md").read_text("utf-8")  # Korean, the first
    assert "> arXiv는 어젯밤 새 논문을 발표하지 않았습니다\\(arXiv 휴일\\)." in report


def test_papers_hugging_face_lists_again_are_featured_not_new(played: Played) -> None:
    _, p = played
    featured, shown_on = 0, ""
    earlier: set[str] = set()
    for d in p.built:
        kinds = digest(p, d.isoformat(), "en")["kinds"]["papers"]
        rows = (p.out / d.isoformat() / "items.jsonl").read_text("utf-8").splitlines()
        ids = {json.loads(r)["id"] for r in rows}
        for ref in kinds["featured"]:
            arxiv_id = ref["item_id"].removeprefix("arxiv:")
            assert arxiv_id in earlier and arxiv_id not in ids and ref["upvotes"] > 0
            featured += 1
            shown_on = shown_on or d.isoformat()
        earlier |= ids
    assert featured > 20
    report = (p.out / shown_on / "report.en.md").read_text("utf-8")
    assert "**Featured again today (already in an earlier digest):**" in report
    assert "— hf-daily-papers · ▲" in report
