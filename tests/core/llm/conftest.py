"""Fixtures for the LLM tests: one OpenAI-compatible stand-in per session (reset for every test),
settings pointing the real openai client at it, and a check that a built day is a whole report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from core import demo, escape
from core.digest import Digest
from core.headings import PART_KEYS, label
from core.llm.dialect import forget_learned
from core.llm.factory import LLMEngine, llm_engine
from core.pipeline import BuiltDay, SourceResult, build_day
from core.report import render
from core.settings import OpenAISettings, RedisSettings, Settings
from core.taxonomy import Taxonomy, load_taxonomy
from tests.doubles.fixtures import stand_in_fixtures
from tests.doubles.llm_server import LLMServer

SECRET = "sk-test-0123456789abcdefSECRET"
MODEL = "stand-in-model"
TAX = load_taxonomy()


# What a server takes is learned once per process: each test starts anew.
stand_in, server = stand_in_fixtures(LLMServer, forget_learned)


@pytest.fixture(scope="session")
def results() -> list[SourceResult]:
    """The bundled sample day, parsed once."""
    return demo.demo_results()


@pytest.fixture
def settings(server: LLMServer, tmp_path: Path) -> Settings:
    return make_settings(server, tmp_path)


def make_settings(server: LLMServer, tmp_path: Path, **openai: object) -> Settings:
    s = Settings()
    options: dict[str, object] = {
        "base_url": server.base_url,
        "api_key": SECRET,
        "model": MODEL,
        "timeout": 2.0,
        "max_retries": 2,
        "concurrency": 32,
        "cache_dir": tmp_path / "llm-cache",
    }
    options.update(openai)
    s.openai = OpenAISettings.model_validate(options)
    s.redis = RedisSettings(url=None)
    return s


def engine_for(settings: Settings, **kw: object) -> LLMEngine:
    engine = llm_engine(settings, **kw)  # type: ignore[arg-type]
    assert isinstance(engine, LLMEngine)
    return engine


def build(
    engine: LLMEngine,
    results: Sequence[SourceResult],
    langs: Sequence[str] = ("ko",),
    taxonomy: Taxonomy = TAX,
) -> BuiltDay:
    return build_day(
        demo.DEMO_DATE,
        results,
        taxonomy,
        langs=list(langs),
        section_cap=8,
        now=demo.demo_now(),
        engine=engine,
    )


def complete_report(built: BuiltDay, fallback: Sequence[tuple[str, str]] = ()) -> dict[str, str]:
    """Render every language and check it is whole: every planned section there, five non-empty
    parts, citations only of its own sources, and exactly the `fallback` (kind, category)
    sections marked as offline fallbacks (with their note in the report). Returns the markdown."""
    out: dict[str, str] = {}
    for lang, digest in built.digests.items():
        md = render(digest, {})
        _check(digest, md, set(fallback))
        assert SECRET not in md and SECRET not in digest.model_dump_json()
        out[lang] = md
    return out


def _check(digest: Digest, md: str, fallback: set[tuple[str, str]]) -> None:
    planned = {(k, c) for k, kd in digest.kinds.items() for c in kd.sections}
    assert planned, "a sample day with no sections"
    assert {(s.kind, s.category) for s in digest.sections} == planned
    assert len(digest.sections) == len(planned)
    for s in digest.sections:
        assert s.lang == digest.lang
        assert [p.key for p in s.parts] == list(PART_KEYS)
        assert all(p.text.strip() for p in s.parts), (s.kind, s.category)
        assert s.citations(), (s.kind, s.category)
        assert s.citations() <= set(range(1, len(s.sources) + 1)), (s.kind, s.category)
        assert f"### {s.name}" in md
        if (s.kind, s.category) in fallback:
            assert s.mode == "offline-fallback" and s.note, (s.kind, s.category, s.mode)
            assert s.fallback in ("invalid", "budget", "server", "failed"), s.fallback
            said = f"> {label(digest.lang, 'fallback_' + s.fallback)}: {escape.markdown(s.note)}"
            assert said in md, said
        else:
            assert s.mode == "llm", (s.kind, s.category, s.note)
    total, off = len(digest.sections), len(fallback)
    if not off:
        header = label(digest.lang, "llm_all", model=MODEL, total=total)
    else:  # the numbers, whatever the reasons
        key = "llm_none" if off == total else "llm_some"
        header = label(digest.lang, key, model=MODEL, total=total, llm=total - off, off=off, why="")
        header = header.split("()")[0] if "()" in header else header
    assert header in md, (header, md[:400])
