"""Every fault of the model server still ends in a complete report: retried when it passes,
else that one section replaced by the offline summary, marked, with the reason."""

from __future__ import annotations

from pathlib import Path

from core.pipeline import SourceResult
from tests.core.llm.conftest import build, complete_report, engine_for, make_settings
from tests.doubles.llm_server import LLMServer

TARGET = "Section: LLM (papers)"  # one section's summary prompt, in a ko-only build
ONE = [("papers", "llm")]


def _calls(server: LLMServer, text: str) -> list[int]:
    """Indices of the recorded requests whose prompt contains `text`."""
    return [n for n, p in enumerate(server.prompts()) if text in p]


def test_a_clean_build_is_all_llm_and_counted(server: LLMServer, settings, results) -> None:
    engine = engine_for(settings)
    built = build(engine, results, langs=("ko", "en"))
    md = complete_report(built)
    info = built.digests["ko"].build
    assert info.llm == "stand-in-model"
    assert info.llm_calls == server.calls == engine.usage()[0]
    assert info.tokens == engine.usage()[1] > 0
    assert f"LLM: stand-in-model, {server.calls} calls" in md["en"]


def test_429_is_retried_after_the_servers_retry_after(server, settings, results) -> None:
    server.add_fault("429", times=1, match=TARGET, retry_after=1.2)
    engine = engine_for(settings)
    complete_report(build(engine, results))
    first, second = _calls(server, TARGET)
    assert server.arrivals[second] - server.arrivals[first] >= 1.15  # not our 0.5 s backoff
    assert engine.llm is not None and engine.llm.stats()["retries"] == 1
    assert engine.usage()[0] == server.calls  # the throttled request counts as a call


def test_500_once_is_retried_and_500_always_falls_back(server, settings, results) -> None:
    server.add_fault("500", times=2, schema="classification")
    server.add_fault("500", match=TARGET)
    built = build(engine_for(settings), results)
    complete_report(built, fallback=ONE)
    assert len(_calls(server, TARGET)) == 3  # max_retries=2: three tries, then the fallback
    note = built.digests["ko"].section("papers", "llm").note  # type: ignore[union-attr]
    assert "HTTP 500 from the model server: the stand-in failed (3 tries)" in note


def test_a_hang_past_the_timeout_is_retried_then_falls_back(server, tmp_path: Path, results):
    settings = make_settings(server, tmp_path, timeout=0.6, max_retries=1)
    server.add_fault("hang", times=1, schema="classification", hang=3.0)
    server.add_fault("hang", match=TARGET, hang=3.0)
    built = build(engine_for(settings), results)
    complete_report(built, fallback=ONE)
    note = built.digests["ko"].section("papers", "llm").note  # type: ignore[union-attr]
    assert "timeout" in note
    assert len(_calls(server, TARGET)) == 2


def test_malformed_json_is_asked_again_with_the_reason(server, settings, results) -> None:
    server.add_fault("malformed", times=1, match=TARGET)
    built = build(engine_for(settings), results)
    complete_report(built)
    retry = server.prompts()[_calls(server, TARGET)[1]]
    assert "A previous answer was rejected" in retry and "not valid JSON" in retry


def test_malformed_json_twice_falls_back(server, settings, results) -> None:
    server.add_fault("malformed", match=TARGET)
    built = build(engine_for(settings), results)
    complete_report(built, fallback=ONE)
    assert "not valid JSON" in built.digests["ko"].section("papers", "llm").note  # type: ignore[union-attr]
    assert len(_calls(server, TARGET)) == 2  # the ask and one retry, no more


def test_malformed_classification_falls_back_to_the_rules(server, settings, results) -> None:
    server.add_fault("malformed", schema="classification")
    built = build(engine_for(settings), results)
    complete_report(built)
    assert set(built.labels) == {i.id for i in built.items}


def test_citations_out_of_range_are_asked_again_then_fall_back(server, settings, results):
    server.add_fault("bad_citations", match=TARGET)
    built = build(engine_for(settings), results)
    complete_report(built, fallback=ONE)
    note = built.digests["ko"].section("papers", "llm").note  # type: ignore[union-attr]
    assert "but the sources are [1]..[8]" in note
    assert "but the sources are [1]..[8]" in server.prompts()[_calls(server, TARGET)[1]]


def test_citations_out_of_range_once_then_valid(server, settings, results) -> None:
    server.add_fault("bad_citations", times=1, match=TARGET)
    complete_report(build(engine_for(settings), results))


def test_an_empty_part_falls_back(server, settings, results) -> None:
    server.add_fault("empty_part", match=TARGET)
    built = build(engine_for(settings), results)
    complete_report(built, fallback=ONE)
    note = built.digests["ko"].section("papers", "llm").note  # type: ignore[union-attr]
    assert "'conclusion' is empty" in note


def test_wrong_language_falls_back_in_both_languages(server, settings, results) -> None:
    server.add_fault("wrong_language", match="Section: LLM (papers)")
    built = build(engine_for(settings), results, langs=("ko", "en"))
    complete_report(built, fallback=ONE)  # both the ko and the en section of LLM papers
    ko = built.digests["ko"].section("papers", "llm")
    en = built.digests["en"].section("papers", "llm")
    assert ko is not None and "not written in Korean" in ko.note
    assert en is not None and "not written in English" in en.note


def test_unknown_and_missing_ids_still_give_a_whole_report(server, settings, results) -> None:
    server.add_fault("unknown_ids", schema="classification")
    server.add_fault("missing_ids", times=2, schema="classification")
    built = build(engine_for(settings), results)
    complete_report(built)
    assert set(built.labels) == {i.id for i in built.items}


def test_faults_set_over_http_apply(server, settings, results: list[SourceResult]) -> None:
    import httpx

    r = httpx.post(
        server.url + "/_faults",
        json={"faults": [{"kind": "wrong_language", "match": TARGET}], "latency": 0.05},
    )
    assert r.status_code == 200 and r.json()["latency"] == 0.05
    built = build(engine_for(settings), results)
    complete_report(built, fallback=ONE)
    stats = httpx.get(server.url + "/_stats").json()
    assert stats["calls"] == server.calls > 0
    assert (
        httpx.post(server.url + "/_faults", json={"faults": [{"kind": "nope"}]}).status_code == 400
    )
