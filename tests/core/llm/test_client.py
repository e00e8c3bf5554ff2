"""The client wrapper over the real openai client: answers, errors without secrets, size cap,
usage counted under concurrency, and the stand-in run as a process."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from core.llm.cache import MemoryCache
from core.llm.chat import LLM, InvalidAnswer, LLMError
from core.settings import OpenAISettings
from tests.core.llm.conftest import SECRET
from tests.doubles.llm_server import LLMServer

SCHEMA = {
    "type": "object",
    "properties": {"labels": {"type": "array", "items": {"type": "string"}}},
    "required": ["labels"],
    "additionalProperties": False,
}


def _ask(n: int) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": "Classify."},
        {
            "role": "user",
            "content": f'<items>\n[{{"id": "i1", "title": "Robot arm {n}"}}]\n</items>',
        },
    ]


def _llm(base_url: str, **kw: object) -> LLM:
    settings = OpenAISettings(base_url=base_url, api_key=SECRET, model="m", timeout=2.0)
    options: dict[str, object] = {"max_retries": 1, "backoff": 0.05}
    options.update(kw)
    return LLM.from_settings(settings, **options)  # type: ignore[arg-type]


def test_answers_are_parsed_and_usage_counted_under_concurrency(server: LLMServer) -> None:
    server.set_latency(0.05)
    llm = _llm(server.base_url, concurrency=32)
    answers = llm.map(lambda n: llm.complete_json(_ask(n), SCHEMA, "classification"), range(64))
    assert all(a["labels"][0]["id"] == "i1" for a in answers)
    calls, tokens = llm.usage()
    assert calls == server.calls == 64
    assert tokens >= 64 * 10
    assert server.max_concurrent <= 32


def test_errors_never_carry_the_key(server: LLMServer) -> None:
    server.add_fault("401")
    with pytest.raises(LLMError) as caught:
        _llm(server.base_url).complete_json(_ask(1), SCHEMA, "classification")
    message = str(caught.value)
    assert "HTTP 401" in message and SECRET not in message and "***" in message
    assert server.calls == 1  # an auth error is not retried


def test_an_unreachable_server_is_a_clear_error(unused_port: int) -> None:
    llm = _llm(f"http://127.0.0.1:{unused_port}/v1")
    with pytest.raises(LLMError, match="cannot reach the model server"):
        llm.complete_json(_ask(1), SCHEMA, "classification")
    assert llm.stats()["retries"] == 1


def test_answers_over_the_size_cap_are_invalid(server: LLMServer) -> None:
    llm = _llm(server.base_url, max_answer_chars=20)
    with pytest.raises(InvalidAnswer, match="too long"):
        llm.complete_json(_ask(1), SCHEMA, "classification")


def test_the_cache_answers_without_a_request(server: LLMServer) -> None:
    llm = _llm(server.base_url, cache=MemoryCache())
    first = llm.complete_json(_ask(1), SCHEMA, "classification")
    assert llm.complete_json(_ask(1), SCHEMA, "classification") == first
    assert server.calls == 1 and llm.stats()["cache_hits"] == 1
    llm.complete_json(_ask(1), SCHEMA, "other-name")  # another schema name: another key
    assert server.calls == 2


def test_settings_pick_the_server_and_the_token_parameter(tmp_path: Path) -> None:
    openai = LLM.from_settings(OpenAISettings(api_key=SECRET, cache_dir=tmp_path))
    assert openai.client.base_url.host == "api.openai.com"
    assert openai.token_param == "max_completion_tokens" and openai.model == "gpt-4o-mini"
    assert openai.client.max_retries == 0  # ours, so Retry-After is honoured and counted
    local = LLM.from_settings(OpenAISettings(base_url="http://127.0.0.1:11434/v1", concurrency=3))
    assert local.token_param == "max_tokens" and local.concurrency == 3
    assert local.client.base_url.port == 11434


@pytest.fixture
def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_stand_in_runs_as_a_process(unused_port: int) -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.doubles.llm_server",
            "--port",
            str(unused_port),
            "--latency",
            "0.05",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and "LLM stand-in on" in proc.stdout.readline()
        base = f"http://127.0.0.1:{unused_port}"
        for _ in range(50):
            try:
                httpx.get(base + "/_stats")
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        httpx.post(base + "/_faults", json={"faults": [{"kind": "500", "times": 1}]})
        llm = _llm(base + "/v1")
        assert llm.complete_json(_ask(1), SCHEMA, "classification")["labels"]
        stats = httpx.get(base + "/_stats").json()
        assert stats["calls"] == 2 and llm.stats()["retries"] == 1
        assert len(httpx.get(base + "/_requests").json()) == 2
    finally:
        proc.terminate()
        proc.wait(timeout=10)
