"""Every server's way of taking structured output: each dialect's build is all LLM; what a server
refuses is learned once per process and never asked again; errors that a retry cannot fix are
not retried, and the server's own words reach the section's note."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.llm import dialect
from core.llm.chat import LLM, OPENAI_URL
from core.llm.dialect import Mode, read_json_object
from core.settings import OpenAISettings
from tests.core.llm.conftest import MODEL, build, complete_report, engine_for, make_settings
from tests.doubles.llm_replies import task_of
from tests.doubles.llm_server import LLMServer


def _formats(server: LLMServer, task: str = "section_summary") -> list[str]:
    """The response_format type of each recorded request of `task` ("none" when absent)."""
    out = []
    for body in server.requests:
        if task_of(body) == task:
            fmt = body.get("response_format")
            out.append(fmt["type"] if isinstance(fmt, dict) else "none")
    return out


@pytest.mark.parametrize("name", ["openai", "ollama", "vllm"])
def test_servers_that_take_json_schema_get_it(server: LLMServer, settings, results, name) -> None:
    server.set_dialect(name)
    complete_report(build(engine_for(settings), results))
    assert set(_formats(server)) == {"json_schema"}
    assert set(_formats(server, "classification")) == {"json_schema"}
    body = next(b for b in server.requests if task_of(b) == "section_summary")
    assert body["temperature"] == 0.2  # a compatible server: not Ollama's default 1.0


def test_llama_cpp_python_refuses_json_schema_once_then_gets_json_object(
    server: LLMServer, settings, results
) -> None:
    server.set_dialect("llamacpp")
    complete_report(build(engine_for(settings), results))
    classified, summarised = _formats(server, "classification"), _formats(server)
    refused = classified.count("json_schema")
    # only the first round of classification batches, in flight at once, was refused
    assert 1 <= refused <= len(classified) - refused
    assert set(summarised) == {"json_object"}
    first_object = next(
        b for b in server.requests if b.get("response_format", {}).get("type") == "json_object"
    )
    assert first_object["response_format"]["schema"]  # the server constrains to it
    assert "matching this JSON schema" in first_object["messages"][0]["content"]
    # the next build in this process asks the way the server takes, from the start
    server.requests.clear()
    complete_report(build(engine_for(settings), results, langs=("en",)))
    assert set(_formats(server) + _formats(server, "classification")) == {"json_object"}


def test_a_server_that_takes_no_response_format_gets_json_asked_in_the_prompt(
    server: LLMServer, settings, results
) -> None:
    server.set_dialect("plain")
    complete_report(build(engine_for(settings), results))
    assert _formats(server)[-1] == "none"
    last = server.requests[-1]
    assert "Answer with one JSON object and nothing else" in last["messages"][0]["content"]


def test_a_refused_format_is_not_retried_when_pinned_and_the_server_says_why(
    server: LLMServer, tmp_path: Path, results
) -> None:
    server.set_dialect("llamacpp")
    settings = make_settings(server, tmp_path, response_format="json_schema")
    built = build(engine_for(settings), results)
    sections = built.digests["ko"].sections
    assert sections and all(s.mode == "offline-fallback" for s in sections)
    note = sections[0].note
    assert "HTTP 500 from the model server" in note
    assert "Input should be 'text' or 'json_object'" in note  # the server's own words
    assert len(_formats(server)) == len(sections)  # one request each: a retry cannot help


def test_an_unknown_model_is_one_request_and_the_note_says_pull_it(
    server: LLMServer, settings, results
) -> None:
    server.set_dialect("ollama")
    server.models = ("qwen2.5:0.5b",)
    built = build(engine_for(settings), results)
    sections = built.digests["ko"].sections
    assert all(s.mode == "offline-fallback" for s in sections)
    assert f'HTTP 404 from the model server: model "{MODEL}" not found, try pulling it first' in (
        sections[0].note
    )
    assert len(_formats(server)) == len(sections)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1}', {"a": 1}),
        ('```json\n{"a": 1}\n```', {"a": 1}),
        ('Sure! Here it is:\n```\n{"a": {"b": [1, 2]}}\n```\nAnything else?', {"a": {"b": [1, 2]}}),
        ('Here: {"a": 1} and that is all {not json}', {"a": 1}),
        ('<think>the user wants {json}</think>\n{"a": 2}', {"a": 2}),
        ('[1, 2] then {"a": 3}', {"a": 3}),
    ],
)
def test_json_is_read_out_of_what_models_write(text: str, expected: dict[str, Any]) -> None:
    assert read_json_object(text) == expected


def test_unreadable_answers_say_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="holds no JSON object"):
        read_json_object("I cannot help with that.")
    with pytest.raises(ValueError, match="not valid JSON"):
        read_json_object('{"sources": [{"n": 1, "sent')


def test_refusals_and_context_errors_are_told_apart() -> None:
    assert dialect.refuses_format(500, "Input should be 'text' or 'json_object'")
    assert dialect.refuses_format(400, "response_format is not supported by this server")
    assert not dialect.refuses_format(400, "Invalid schema for response_format 'x': In context=()")
    assert not dialect.refuses_format(500, "the stand-in failed")
    assert not dialect.refuses_format(401, "response_format")
    said = "This model's maximum context length is 2048 tokens. However, you requested 3000"
    assert dialect.context_window(400, said) == 2048
    assert (
        dialect.context_window(400, "Requested tokens (3000) exceed context window of 2048") == 2048
    )
    assert dialect.context_window(400, "the request exceeds the available context size") == 0
    assert dialect.context_window(400, "bad request") is None


def test_mode_learning_only_goes_down_and_is_per_server_and_model() -> None:
    dialect.forget_learned()
    try:
        assert dialect.learn("http://a/v1", "m", Mode.SCHEMA) is Mode.OBJECT
        assert dialect.learn("http://a/v1", "m", Mode.SCHEMA) is Mode.OBJECT  # a late refusal
        assert dialect.learned_mode("http://b/v1", "m") is Mode.SCHEMA
        assert dialect.learn("http://a/v1", "m", Mode.OBJECT) is Mode.TEXT
        assert dialect.learn("http://a/v1", "m", Mode.TEXT) is None
        assert dialect.learned_mode("http://a/v1", "m") is Mode.TEXT
    finally:
        dialect.forget_learned()


def test_settings_pick_timeouts_temperature_and_mode(tmp_path: Path) -> None:
    openai = LLM.from_settings(OpenAISettings(api_key="sk-x", cache_dir=tmp_path))
    assert openai.timeout == 60 and openai.temperature is None and openai.server == OPENAI_URL
    local = LLM.from_settings(OpenAISettings(base_url="http://127.0.0.1:11434/v1"))
    assert local.timeout == 600 and local.temperature == 0.2  # a CPU model may take minutes
    pinned = LLM.from_settings(
        OpenAISettings(base_url="http://h/v1", response_format="text", timeout=90)
    )
    assert pinned.mode is Mode.TEXT and pinned.timeout == 90
    with pytest.raises(ValueError, match="OPENAI_RESPONSE_FORMAT must be"):
        OpenAISettings(response_format="grammar")
