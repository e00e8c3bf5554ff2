"""Relevance on both paths, on the sample day: items not about AI are set aside before sections
and charts, counted per source, listed at the end of the report; trusted sources lose nothing."""

from __future__ import annotations

from collections import Counter

from core import demo, escape
from core.classify import NOT_AI
from core.headings import label
from core.merge import merge
from core.pipeline import BuiltDay, SourceResult
from core.report import SKIPPED_TITLES, render
from tests.core.llm.conftest import TAX, build, engine_for
from tests.doubles.llm_server import LLMServer

TRUSTED = {"arxiv", "hf-daily-papers", "openai-news", "google-ai-blog"}


def _skipped(built: BuiltDay) -> list[str]:
    digest = next(iter(built.digests.values()))
    return [r.title for kd in digest.kinds.values() for r in kd.skipped]


def _check_day(built: BuiltDay, results: list[SourceResult]) -> None:
    """What every path must give: nothing lost, nothing skipped shown, counts that add up."""
    digest = next(iter(built.digests.values()))
    skipped = {r.item_id for kd in digest.kinds.values() for r in kd.skipped}
    kept = {i.id for i in built.items}
    everything = {i.id for i in merge((i for r in results for i in r.items), demo.demo_now())}
    assert skipped and not skipped & kept and skipped | kept == everything
    shown = {r.item_id for s in digest.sections for r in s.sources}
    assert not shown & skipped
    for kind, kd in digest.kinds.items():
        assert kd.total == sum(kd.counts.values()) == sum(i.kind == kind for i in built.items)
    by_source = Counter(r.source for kd in digest.kinds.values() for r in kd.skipped)
    for s in digest.build.sources:
        assert s.skipped == by_source.get(s.name, 0), s.name
        assert s.trusted == (s.name in TRUSTED), s.name
        if s.trusted:
            assert s.skipped == 0, s.name
    assert {"geeknews", "hackernews"} <= set(by_source)


def test_offline_sets_aside_general_tech_and_keeps_trusted_sources(demo_day: BuiltDay) -> None:
    results = demo.demo_results()
    _check_day(demo_day, results)
    skipped = _skipped(demo_day)
    for title in ("Windows 11½", "서버 모니터링 분석 가이드", "글 쓰다가 막혔을 때 대처법"):
        assert title in skipped
    titles = {i.title for i in demo_day.items}
    assert "Tinybox – Offline AI device 120B parameters" in titles
    assert "MicroLLM Lab - 브라우저에서 초소형 LLM 7개 체험하기" in titles


def test_the_report_ends_with_the_skipped_line_and_counts_per_source(demo_day: BuiltDay) -> None:
    digest = demo_day.digests["en"]
    md = render(digest, {})
    skipped = _skipped(demo_day)
    last = md.rstrip().splitlines()[-1]
    assert last.startswith(f"{label('en', 'skipped', n=len(skipped))} — ")
    assert escape.markdown(skipped[0]) in last  # as the report escapes every title
    assert escape.markdown(skipped[SKIPPED_TITLES]) not in last
    assert last.endswith(label("en", "and_more", n=len(skipped) - SKIPPED_TITLES))
    for s in digest.build.sources:
        if s.skipped:
            assert (
                f"- {s.name} ({s.kind}): {s.items} ({label('en', 'skipped_n', n=s.skipped)})" in md
            )
    ko = render(demo_day.digests["ko"], {})
    assert ko.rstrip().splitlines()[-1].startswith(label("ko", "skipped", n=len(skipped)))


def test_the_llm_judges_relevance_and_trusted_sources_keep_their_items(
    server: LLMServer, settings, results: list[SourceResult]
) -> None:
    engine = engine_for(settings)
    built = build(engine, results, langs=("en",))
    _check_day(built, results)
    labels = engine.classify(merge((i for r in results for i in r.items), demo.demo_now()), TAX)
    said = {i.id for r in results for i in r.items if labels.get(i.id) == NOT_AI}
    # the stand-in calls an OpenAI board statement not about AI: a trusted source keeps it
    statement = next(i for i in built.items if i.title.startswith("Statement from the OpenAI"))
    assert statement.id in said and statement.source == "openai-news"
    assert built.labels[statement.id] in TAX.ids("news")
    # and every untrusted item it called not about AI is skipped
    skipped = {r.item_id for kd in built.digests["en"].kinds.values() for r in kd.skipped}
    untrusted = {i.id for r in results if r.status.name not in TRUSTED for i in r.items}
    assert skipped == said & untrusted


def test_the_report_footer_lists_others_with_links(
    server: LLMServer, settings, results: list[SourceResult]
) -> None:
    built = build(engine_for(settings), results, langs=("en",))
    digest = built.digests["en"]
    md = render(digest, {})
    listed = 0
    for kind in ("news", "papers"):
        kd = digest.kinds[kind]
        assert len(kd.others) == kd.counts["others"]
        assert "others" not in kd.sections
        if kd.others:
            line = next(x for x in md.splitlines() if x.startswith(f"Others ({kind.title()})"))
            assert line.startswith(f"Others ({kind.title()}): {len(kd.others)} — [")
            assert f"(<{kd.others[0].url}>)" in line
            listed += 1
    assert listed, "the stand-in files some items under Others"
