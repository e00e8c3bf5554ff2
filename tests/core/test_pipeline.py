"""One day through the inline pipeline, on the bundled real data."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core import demo
from core.digest import SourceStatus
from core.intake import Intake, coverage_of
from core.pipeline import BuiltDay, SourceResult, build_day, every_source_failed
from core.report import render
from core.sources.arxiv_calendar import ArxivCalendar
from core.sources.arxiv_window import release
from core.taxonomy import load_taxonomy
from core.watermark import Mark, Take
from tests.core.grounding import grounding_problems

TAX = load_taxonomy()


@pytest.fixture
def built(demo_day: BuiltDay) -> BuiltDay:
    return demo_day


def test_every_item_is_counted_once_in_exactly_one_category(built: BuiltDay) -> None:
    digest = built.digests["ko"]
    assert set(built.labels) == {i.id for i in built.items}
    for kind in ("news", "papers"):
        kd = digest.kinds[kind]
        assert kd.total == sum(kd.counts.values()) == sum(1 for i in built.items if i.kind == kind)
        assert "others" not in kd.sections
        assert all(kd.counts[c] > 0 for c in kd.sections)
    # HF papers that arXiv also lists are one item: 159 = 138 arXiv + 21 HF - overlap
    arxiv_ids = [i.arxiv_id for i in built.items if i.kind == "papers"]
    assert len(arxiv_ids) == len(set(arxiv_ids))


def test_each_summary_is_about_its_own_sources(built: BuiltDay) -> None:
    by_id = {i.id: i for i in built.items}
    sections = built.digests["en"].sections
    assert len(sections) >= 12
    for s in sections:
        assert grounding_problems(s, by_id) == [], (s.kind, s.name)
        assert all(built.labels[r.item_id] == s.category for r in s.sources), s.name


def test_both_languages_share_counts_and_sources(built: BuiltDay) -> None:
    ko, en = built.digests["ko"], built.digests["en"]
    assert ko.kinds == en.kinds
    assert [(s.category, s.sources) for s in ko.sections] == [
        (s.category, s.sources) for s in en.sections
    ]
    assert ko.sections[0].parts[0].heading == "주요 주제 및 테마"
    assert en.sections[0].parts[0].heading == "Main themes"


def test_charts_per_kind_and_trend_only_with_history(built: BuiltDay) -> None:
    assert set(built.charts) == {"news", "papers", "papers-trend"}


def test_a_failed_source_is_recorded_and_the_day_goes_on() -> None:
    dead = SourceResult(
        SourceStatus(
            name="aitimes-kr", kind="news", ok=False, error="aitimes-kr: HTTP 503 after 3 tries"
        ),
        [],
    )
    b = build_day(
        demo.DEMO_DATE,
        [*demo.demo_results(), dead],
        TAX,
        langs=["en"],
        section_cap=5,
        now=demo.demo_now(),
    )
    d = b.digests["en"]
    assert d.kinds["news"].note.startswith(
        "aitimes-kr failed (HTTP 503 after 3 tries); what it released since the"
        " previous digest comes in the next one."
    )
    report = render(d, {})
    assert "aitimes-kr (news): ✗ aitimes-kr: HTTP 503 after 3 tries" in report
    assert d.kinds["news"].total > 0


def test_an_empty_weekend_day_says_why() -> None:
    """Sunday 2024-10-20, 07:00 in Seoul: arXiv made no announcement on Friday evening."""
    seoul = ZoneInfo("Asia/Seoul")
    end = datetime(2024, 10, 20, 7, tzinfo=seoul)
    plan = release(ArxivCalendar.shipped(), end - timedelta(days=1), end)
    taken = Take("arxiv", "2024-10-20", end - timedelta(days=1), end)
    got = Intake([], [], taken, Mark(end), release=plan)
    status = SourceStatus(name="arxiv", kind="papers", ok=True, coverage=coverage_of(got))
    b = build_day(
        date(2024, 10, 20),
        [SourceResult(status, [])],
        TAX,
        langs=["en", "ko"],
        section_cap=5,
        now=end,
        tz="Asia/Seoul",
    )
    en, ko = b.digests["en"], b.digests["ko"]
    assert en.kinds["papers"].total == 0 and en.sections == []
    assert en.kinds["papers"].note == (
        "arXiv made no announcement last night (weekend); next: Sunday 20:00 ET (Monday 09:00 KST)."
    )
    assert ko.kinds["papers"].note.startswith("arXiv는 어젯밤 새 논문을 발표하지 않았습니다(주말).")
    report = render(en, {})
    assert "Nothing was collected for this day." in report
    assert "No news source is set up." in report
    assert "> arXiv made no announcement last night \\(weekend\\)" in report  # escaped once
    assert "다음 발표: 미국 동부 시간 일요일 20:00 \\(KST 월요일 09:00\\)." in render(ko, {})


def test_every_source_failed_counts_the_sources_that_were_asked() -> None:
    sunday = datetime(2024, 10, 20, 7, tzinfo=ZoneInfo("Asia/Seoul"))
    plan = release(ArxivCalendar.shipped(), sunday - timedelta(days=1), sunday)
    got = Intake([], [], Take("arxiv", "2024-10-20", sunday, sunday), Mark(sunday), release=plan)
    silent = SourceResult(
        SourceStatus(name="arxiv", kind="papers", ok=True, coverage=coverage_of(got)), []
    )
    down = SourceResult(SourceStatus(name="feed", kind="news", ok=False, error="HTTP 500"), [])
    up = SourceResult(SourceStatus(name="feed", kind="news", ok=True, items=0), [])
    assert every_source_failed([silent, down])  # arXiv was not asked: the network is down
    assert not every_source_failed([silent])  # an arXiv-only digest on a Sunday says so
    assert not every_source_failed([silent, up, down])
    assert not every_source_failed([])
