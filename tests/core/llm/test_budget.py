"""A build's LLM budget: once its wall time or tokens are spent, no call is made and the
remaining sections are written offline, saying so; a looping answer is cut at its cap."""

from __future__ import annotations

import time
from pathlib import Path

from core import demo
from core.llm.budget import Budget
from core.merge import merge
from tests.core.llm.conftest import TAX, build, complete_report, engine_for, make_settings
from tests.doubles.llm_server import LLMServer


def _summary_calls(server: LLMServer) -> int:
    return len(server.prompts("section_summary"))


def test_budget_arithmetic() -> None:
    now = [1000.0]
    budget = Budget(60, 1000, clock=lambda: now[0])
    assert budget.exhausted() == "" and budget.seconds_left() == 60
    budget.spend(600)
    now[0] += 30
    assert budget.exhausted() == "" and budget.seconds_left() == 30
    budget.spend(400)
    assert budget.exhausted() == "the build's LLM token budget (1,000 tokens) is spent"
    now[0] += 31
    assert "time budget (60 s) is spent" in Budget(60, 0, started=now[0] - 61).exhausted()
    carried = Budget(60, 1000, started=now[0] - 10, spent=900, clock=lambda: now[0])
    assert carried.seconds_left() == 50 and carried.spent == 900  # an earlier job's share
    assert Budget.unlimited().exhausted() == "" and Budget(0, 0).seconds_left() > 1e9


def test_a_slow_model_is_cut_off_by_the_time_budget(server: LLMServer, tmp_path: Path, results):
    # Classification answers at once; every summary would take 30 s. Two go out (concurrency
    # 2), wait only as long as the budget lasts, and nothing more is sent.
    settings = make_settings(server, tmp_path, concurrency=2, budget_seconds=1.5, timeout=20)
    server.add_fault("hang", schema="section_summary", hang=30.0)
    built = build(engine_for(settings), results)
    sections = built.digests["ko"].sections
    complete_report(built, fallback=[(s.kind, s.category) for s in sections])
    assert all("time budget (1.5 s) is spent" in s.note for s in sections), sections[0].note
    assert _summary_calls(server) <= 2


def test_a_spent_token_budget_writes_the_rest_offline(server, tmp_path: Path, results) -> None:
    probe = engine_for(make_settings(server, tmp_path / "probe"))
    probe.classify(merge((i for r in results for i in r.items), demo.demo_now()), TAX)
    classify_tokens = probe.usage()[1]
    server.reset()
    # enough for classification and a few summaries, asked one at a time
    budget = classify_tokens + 6000
    settings = make_settings(server, tmp_path, concurrency=1, budget_tokens=budget)
    built = build(engine_for(settings), results)
    sections = built.digests["ko"].sections
    offline = [s for s in sections if s.mode != "llm"]
    assert 0 < len(offline) < len(sections)
    assert all(f"token budget ({budget:,} tokens) is spent" in s.note for s in offline)
    complete_report(built, fallback=[(s.kind, s.category) for s in offline])
    assert _summary_calls(server) == len(sections) - len(offline)  # none sent once spent


def test_a_looping_answer_is_cut_at_its_cap_asked_once_more_then_written_offline(
    server: LLMServer, settings, results
) -> None:
    target = "Section: LLM (papers)"
    server.add_fault("loop", match=target)
    built = build(engine_for(settings), results)
    complete_report(built, fallback=[("papers", "llm")])
    note = built.digests["ko"].section("papers", "llm").note  # type: ignore[union-attr]
    assert "cut off at the token limit" in note
    asks = [b for b in server.requests if target in str(b["messages"])]
    assert len(asks) == 2  # the ask and one retry
    assert all(b["max_tokens"] <= 1800 for b in asks)  # 8 sources in Korean: 600 + 150 each


def test_the_jobs_of_a_build_share_its_budget(server: LLMServer, settings, results) -> None:
    # a section job of a build enqueued 40 minutes ago: the 30-minute budget is spent
    late = engine_for(settings)
    late.share_budget(started=time.time() - 2400, spent=0)
    built = build(late, results)
    sections = built.digests["ko"].sections
    assert sections and all(s.fallback == "budget" for s in sections)
    assert server.calls == 0  # not even the classification was asked
    # an earlier job spent the build's tokens
    server.reset()
    spent = engine_for(settings)
    spent.share_budget(started=time.time(), spent=settings.openai.budget_tokens)
    assert all(s.fallback == "budget" for s in build(spent, results).digests["ko"].sections)
    assert server.calls == 0
