"""Speed: a build's summaries are one round of calls, not one call after another; the limit holds.
Asserted on what the stand-in saw in flight at once, not on wall time."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import demo
from core.classify import classify_offline
from core.merge import merge
from core.pipeline import SourceResult
from core.plan import SectionInput, plan_sections
from tests.core.llm.conftest import TAX, engine_for, make_settings
from tests.doubles.llm_server import LLMServer


@pytest.fixture(scope="module")
def inputs(results: list[SourceResult]) -> list[SectionInput]:
    """Twelve sections of the sample day, six in each language."""
    items = merge((i for r in results for i in r.items), demo.demo_now())
    labels = classify_offline(items, TAX)
    plans = {
        lang: plan_sections("2024-10-04", lang, items, labels, TAX, 8) for lang in ("ko", "en")
    }
    chosen = plans["ko"][:6] + plans["en"][:6]
    assert len(chosen) == 12
    return chosen


def test_twelve_summaries_are_one_round(server: LLMServer, tmp_path: Path, inputs) -> None:
    server.set_latency(0.5)
    engine = engine_for(make_settings(server, tmp_path, concurrency=16))
    sections = engine.summarise(inputs)
    assert [(s.lang, s.category) for s in sections] == [(i.lang, i.category) for i in inputs]
    assert all(s.mode == "llm" for s in sections)
    assert server.calls == 12
    assert server.max_concurrent == 12  # all in flight at once: one round of 0.5 s, not twelve


def test_the_concurrency_limit_holds(server: LLMServer, tmp_path: Path, inputs) -> None:
    server.set_latency(0.2)
    engine = engine_for(make_settings(server, tmp_path, concurrency=4))
    sections = engine.summarise(inputs)
    assert all(s.mode == "llm" for s in sections)
    assert server.max_concurrent == 4


def test_mixed_languages_in_one_call(server: LLMServer, settings, inputs) -> None:
    sections = engine_for(settings).summarise(inputs)
    for inp, section in zip(inputs, sections, strict=True):
        assert section.lang == inp.lang and section.mode == "llm"
        assert section.parts[0].heading == (
            "주요 주제 및 테마" if inp.lang == "ko" else "Main themes"
        )
    langs = [p.split("language code: ")[1][:2] for p in server.prompts("section_summary")]
    assert sorted(langs) == sorted(i.lang for i in inputs)
