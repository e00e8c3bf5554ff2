"""`aidigest classify`: JSON lines in, the same lines with `category` and `ai` out, offline or by
the LLM (the stand-in over real HTTP); a bad line says why and loses nothing."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.main import main
from core.taxonomy import load_taxonomy
from tests.doubles.llm_server import LLMServer

LINES = [
    {"kind": "news", "title": "Windows 11½", "id": "mine-1"},
    {"kind": "news", "title": "Amazon to invest another $4B in Anthropic"},
    {"kind": "news", "title": "서버 모니터링 분석 가이드", "text": "대시보드 설치 가이드는 많지만"},
    {"kind": "news", "title": "정부, AI 규제를 강화한다"},
    {"kind": "papers", "title": "Real-time semantic segmentation of street scenes"},
    {"kind": "papers", "title": "Scaling Language Models with Quality Data", "text": ""},
]


@pytest.fixture(autouse=True)
def offline_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "REDIS_URL", "DIGEST_TAXONOMY_FILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("DIGEST_CLASSIFIER", "semantic")


def classify(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], text: str, *args: str
) -> tuple[int, list[dict[str, object]], str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    code = main(["classify", *args])
    out, err = capsys.readouterr()
    return code, [json.loads(x) for x in out.splitlines()], err


def jsonl(rows: list[dict[str, object]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def test_offline_adds_category_and_ai_and_keeps_every_field(monkeypatch, capsys) -> None:
    code, rows, err = classify(monkeypatch, capsys, jsonl(LINES))
    assert code == 0 and err == ""
    assert [{k: r[k] for k in r if k not in ("category", "ai")} for r in rows] == LINES
    got = [(r["category"], r["ai"]) for r in rows]
    assert got[1] == ("ai-business", True)
    assert got[3] == ("ai-policy-safety", True)
    assert got[4] == ("computer-vision", True)
    assert got[5] == ("llm", True)
    assert not rows[0]["ai"] and not rows[2]["ai"]
    taxonomy = load_taxonomy()
    for r in rows:  # a category of its kind even when not about AI
        assert r["category"] in taxonomy.ids(r["kind"])  # type: ignore[arg-type]


def test_bad_lines_say_why_and_lose_nothing(monkeypatch, capsys) -> None:
    text = (
        jsonl(LINES[:1])
        + "not json\n"
        + "\n"  # blank lines are skipped
        + jsonl(
            [
                {"kind": "blog", "title": "x"},
                {"kind": "news"},
                {"kind": "news", "title": "t", "text": 3},
            ]
        )
        + "[1, 2]\n"
        + jsonl(LINES[1:2])
    )
    code, rows, err = classify(monkeypatch, capsys, text)
    assert code == 1
    assert len(rows) == 7
    assert rows[0]["ai"] is False and rows[6]["category"] == "ai-business"
    assert rows[1] == {"line": 2, "input": "not json", "error": "not JSON (Expecting value)"}
    assert rows[2]["error"] == "kind must be news or papers, not 'blog'"
    assert rows[3]["error"] == "title must be a non-empty string"
    assert rows[4]["error"] == "text must be a string"
    assert rows[5] == {"line": 7, "input": [1, 2], "error": "not a JSON object"}
    for n in (2, 4, 5, 6, 7):
        assert f"aidigest classify: line {n}: " in err


def test_a_taxonomy_change_can_be_tried_first(monkeypatch, capsys, tmp_path: Path) -> None:
    """A new category, learnt from its own description and examples (no labelled title)."""
    shipped = (Path(__file__).resolve().parents[2] / "core" / "data" / "taxonomy.toml").read_text()
    mine = tmp_path / "taxonomy.toml"
    mine.write_text(
        shipped
        + """
[[news]]
id = "ai-chips"
name = "AI Chips"
description = "Accelerators, GPUs, TPUs and NPUs that train and run AI models, and their makers."
keywords = ["gpu", "gpus", "tpu", "npu", "accelerator", "chip", "chips"]
examples = ["Nvidia unveils its next GPU for AI training", "A new NPU for on-device AI"]
""",
        "utf-8",
    )
    rows = [{"kind": "news", "title": "AMD's new AI accelerator takes on Nvidia's GPUs"}]
    code, before, _ = classify(monkeypatch, capsys, jsonl(rows))
    assert code == 0 and before[0]["category"] != "ai-chips"
    code, after, _ = classify(monkeypatch, capsys, jsonl(rows), "--taxonomy", str(mine))
    assert code == 0 and after[0] == {**rows[0], "category": "ai-chips", "ai": True}


@pytest.fixture
def llm(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[LLMServer]:
    with LLMServer() as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-classify")
        monkeypatch.setenv("OPENAI_MODEL", "stand-in-model")
        monkeypatch.setenv("OPENAI_CACHE_DIR", str(tmp_path / "cache"))
        yield server


def test_the_llm_classifies_when_configured(monkeypatch, capsys, llm: LLMServer) -> None:
    rows = [
        {"kind": "news", "title": "Ubuntu 26.04 Ends 46 Years of Silent sudo Passwords"},
        {"kind": "news", "title": "OpenAI launches a new chatbot for teachers"},
        {"kind": "papers", "title": "Robust object detection in fog", "text": "We detect cars."},
    ]
    code, got, _ = classify(monkeypatch, capsys, jsonl(rows))
    assert code == 0 and llm.calls == 2  # a batch per kind
    enum = llm.requests[0]["response_format"]["json_schema"]["schema"]["properties"]["labels"][
        "items"
    ]["properties"]["category"]["enum"]
    assert "not_ai" in enum
    assert got[0]["ai"] is False and got[0]["category"] in load_taxonomy().ids("news")
    assert (got[1]["category"], got[1]["ai"]) == ("llm", True)  # "chatbot" is an LLM keyword
    assert (got[2]["category"], got[2]["ai"]) == ("computer-vision", True)
    # --offline leaves the LLM alone
    code, again, _ = classify(monkeypatch, capsys, jsonl(rows), "--offline")
    assert code == 0 and llm.calls == 2 and len(again) == 3
