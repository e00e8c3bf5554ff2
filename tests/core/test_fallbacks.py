"""Honest reports: the header says, per language, how many sections the LLM wrote and how many
fell back and why; each fallback section says so where it stands; `aidigest status` repeats it
with the server's own words."""

from __future__ import annotations

from redis import Redis

from cli import queue as cli_queue
from core import fallbacks
from core.digest import Digest, FallbackReason
from core.report import render
from core.store.sync_reader import DayReader
from tests.days import demo_day, publish
from workers.builds import Builds

SERVER_SAID = 'llm: HTTP 404 from the model server: model "qwen2.5" not found, try pulling it first'


def _digest(lang: str, model: str, reasons: list[FallbackReason | None]) -> Digest:
    """The sample day's digest in `lang`, its first sections marked as `reasons` say (None: the
    LLM wrote it), as built by `model`."""
    base = demo_day().digests[lang]
    sections = []
    for section, reason in zip(base.sections, reasons, strict=False):
        if reason is None:
            sections.append(section.model_copy(update={"mode": "llm"}))
        else:
            note = SERVER_SAID if reason == "server" else f"why: {reason}"
            update = {"mode": "offline-fallback", "note": note, "fallback": reason}
            sections.append(section.model_copy(update=update))
    build = base.build.model_copy(update={"llm": model, "llm_calls": 9, "tokens": 900})
    return base.model_copy(update={"sections": sections, "build": build})


def test_the_header_counts_what_the_llm_wrote_and_why_the_rest_fell_back() -> None:
    some = _digest("ko", "gpt-4o-mini", [None, None, "server", "invalid", "server", "budget"])
    assert fallbacks.header_line(some) == (
        "요약: LLM(gpt-4o-mini)이 6개 중 2개 섹션을 썼고, 4개는 오프라인 요약으로 "
        "대신했습니다(규칙 위반 1, 예산 소진 1, 서버 오류 2)."
    )
    none = _digest("en", "qwen2.5", ["server", "server", "server"])
    assert fallbacks.header_line(none) == (
        "Summaries: the LLM (qwen2.5) wrote none of the 3 sections; all are offline summaries "
        "instead (server errors: 3)."
    )
    every = _digest("en", "gpt-4o-mini", [None, None])
    assert fallbacks.header_line(every) == "Summaries: the LLM (gpt-4o-mini) wrote all 2 sections."
    offline = demo_day().digests["ko"]
    assert fallbacks.header_line(offline) == "요약 방식: 오프라인 발췌 요약 (LLM 미설정)"


def test_the_report_says_it_in_one_header_line_and_at_each_fallback_section() -> None:
    digest = _digest("ko", "qwen2.5", ["server", None, "budget"])
    md = render(digest, {})
    header = [line for line in md.splitlines()[:6] if "요약:" in line]
    assert len(header) == 1 and "3개 중 1개 섹션을 썼고, 2개는" in header[0]
    assert "모두 썼습니다" not in md
    server, _, budget = digest.sections
    assert (
        "> LLM 서버가 답하지 못해 오프라인 요약으로 대신합니다: llm: HTTP 404 from the model "
        'server: model "qwen2.5" not found, try pulling it first'
    ) in md
    assert f"### {budget.name}\n\n> 이 빌드의 LLM 예산이 다 쓰여 오프라인 요약으로 대신합니다" in md
    assert md.count("오프라인 요약으로 대신합니다") == 2  # the LLM's section says nothing of it
    # the server's words are untrusted text: they cannot open markup in the report
    hostile = server.model_copy(update={"note": "HTTP 500: <b>[x](http://e.example)</b>"})
    md = render(digest.model_copy(update={"sections": [hostile]}), {})
    assert "<b>" not in md and "](http" not in md


def test_status_repeats_it_with_the_servers_own_words(redis_db: Redis[bytes]) -> None:
    built = demo_day()
    ko = _digest("ko", "qwen2.5", ["server", "server", None, "invalid"])
    keys = publish(redis_db, built.__class__(**{**vars(built), "digests": {"ko": ko}}))
    reader = DayReader(redis_db, keys, 365)
    text = cli_queue.status_text(redis_db, Builds(redis_db, keys), reader, ko.date, "ko")
    lines = text.splitlines()
    assert "LLM: qwen2.5, 9 calls, 900 tokens" in lines
    assert f"Summaries (ko): {fallbacks.header_line(ko)}" in lines
    assert f"  offline (server) ×2: {SERVER_SAID}" in lines
    assert "  offline (invalid) ×1: why: invalid" in lines
