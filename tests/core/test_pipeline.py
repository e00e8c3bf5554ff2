"""One day through the inline pipeline, on the bundled real data."""

from __future__ import annotations

from datetime import date

import pytest

from core import demo
from core.digest import SourceStatus
from core.pipeline import BuiltDay, SourceResult, build_day
from core.report import render
from core.taxonomy import load_taxonomy
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
    assert "Failed sources: aitimes-kr." in d.kinds["news"].note
    report = render(d, {})
    assert "aitimes-kr (news): ✗ aitimes-kr: HTTP 503 after 3 tries" in report
    assert d.kinds["news"].total > 0


def test_an_empty_weekend_day_says_why() -> None:
    sunday = date(2024, 10, 8)  # arXiv's source day is two days back: Sunday 2024-10-06
    empty = SourceResult(SourceStatus(name="arxiv", kind="papers", ok=True, items=0), [])
    b = build_day(sunday, [empty], TAX, langs=["en"], section_cap=5, now=demo.demo_now())
    d = b.digests["en"]
    assert d.kinds["papers"].total == 0 and d.sections == []
    assert "arXiv announces nothing on weekends (Sunday 2024-10-06)" in d.kinds["papers"].note
    report = render(d, {})
    assert "Nothing was collected for this day." in report
    assert "No news source is configured." in report
