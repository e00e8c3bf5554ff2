"""How to ask an OpenAI-compatible server for JSON, and how to read what it answers.

Servers spell structured output differently (README, "LLM servers"):

  json_schema  `response_format: {"type": "json_schema", "json_schema": {name, schema, strict}}`
               OpenAI, vLLM, Ollama ≥ 0.5 and llama.cpp's C++ llama-server constrain decoding.
  json_object  `response_format: {"type": "json_object", "schema": …}`: JSON, not necessarily the
               schema (the schema travels in the prompt too). llama-cpp-python's server, which
               refuses json_schema with an HTTP 500, constrains to the `schema` given here.
  text         no response_format at all: the JSON is asked for in the prompt and read out of
               the text (code fences, prose around it, a model's <think> block).

The best mode a server accepts is learned from its refusals, once per process per (server,
model), and remembered; every caller of the same server shares what was learned.
"""

from __future__ import annotations

import json
import re
import threading
from enum import StrEnum
from typing import Any

from core.llm.cache import Answer


class Mode(StrEnum):
    SCHEMA = "json_schema"
    OBJECT = "json_object"
    TEXT = "text"

    def weaker(self) -> Mode | None:
        """The next mode to try when this one is refused."""
        order = list(Mode)
        index = order.index(self)
        return order[index + 1] if index + 1 < len(order) else None


MODES = {m.value: m for m in Mode}

_learned: dict[tuple[str, str], Mode] = {}
_lock = threading.Lock()

# What servers say when they do not take a response_format (llama-cpp-python: "Input should be
# 'text' or 'json_object'"; old llama-server: "response_format type must be one of …"; others).
_UNSUPPORTED = re.compile(
    r"response_format|json_schema|json_object|structured output|guided_json|"
    r"input should be 'text'|not supported.*format|unsupported.*format",
    re.IGNORECASE,
)
_OUR_SCHEMA = re.compile(r"invalid schema|schema conversion failed", re.IGNORECASE)
_WINDOW = re.compile(
    r"maximum context length is (\d+)|context window of (\d+)|context length (?:is|of) (\d+)",
    re.IGNORECASE,
)
_OVERFLOW = re.compile(
    r"exceeds? (?:the )?(?:available )?context (?:size|length|window)|context length exceeded|"
    r"too many tokens|prompt is too long",
    re.IGNORECASE,
)
_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)
_MAX_STARTS = 20  # where a JSON object may begin; a runaway answer is not searched forever
_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)


def learned_mode(server: str, model: str, default: Mode = Mode.SCHEMA) -> Mode:
    with _lock:
        return _learned.get((server, model), default)


def learn(server: str, model: str, refused: Mode) -> Mode | None:
    """Record that `server` refused `refused`; the mode to use now, or None when none is left.
    Concurrent callers that saw the same refusal agree: the mode only ever goes down."""
    lower = refused.weaker()
    with _lock:
        current = _learned.get((server, model), Mode.SCHEMA)
        if lower is not None and list(Mode).index(lower) > list(Mode).index(current):
            _learned[(server, model)] = lower
        return _learned.get((server, model)) if lower is not None else None


def forget_learned() -> None:
    """Tests: every server is assumed capable again."""
    with _lock:
        _learned.clear()


def refuses_format(status: int, message: str) -> bool:
    """Does this error say the server does not take the response_format we sent? (Not when it
    takes the kind but finds our schema wrong: that is a bug to see, not a mode to give up.)"""
    if status not in (400, 422, 500, 501) or _OUR_SCHEMA.search(message):
        return False
    return bool(_UNSUPPORTED.search(message))


def context_window(status: int, message: str) -> int | None:
    """The server's context window when this error says the prompt did not fit (0: unknown)."""
    if status not in (400, 413, 422, 500):
        return None
    found = _WINDOW.search(message)
    if found:
        return int(next(g for g in found.groups() if g))
    return 0 if _OVERFLOW.search(message) else None


def response_format(mode: Mode, name: str, schema: dict[str, Any]) -> dict[str, Any] | None:
    if mode is Mode.SCHEMA:
        spec = {"name": name, "schema": schema, "strict": True}
        return {"type": "json_schema", "json_schema": spec}
    if mode is Mode.OBJECT:
        return {"type": "json_object", "schema": schema}
    return None


def with_schema_in_prompt(
    messages: list[dict[str, str]], mode: Mode, schema: dict[str, Any]
) -> list[dict[str, str]]:
    """When decoding is not held to the schema, the system message carries it."""
    if mode is Mode.SCHEMA or not messages or messages[0].get("role") != "system":
        return messages
    shape = json.dumps(bare(schema), ensure_ascii=False, separators=(",", ":"))
    rule = (
        "\n\nAnswer with one JSON object and nothing else (no code fence, no text before or "
        f"after it), matching this JSON schema:\n{shape}"
    )
    return [{**messages[0], "content": messages[0]["content"] + rule}, *messages[1:]]


def bare(schema: Any) -> Any:
    """`schema` without its descriptions: the prompt already says what each part is."""
    if isinstance(schema, dict):
        return {k: bare(v) for k, v in schema.items() if k != "description"}
    if isinstance(schema, list):
        return [bare(v) for v in schema]
    return schema


def read_json_object(text: str) -> Answer:
    """The JSON object in a model's answer: as is, in a code fence, or with prose around it.
    Raises ValueError with what was wrong."""
    text = _THINK.sub("", text).strip()
    candidates = [text, *(m.strip() for m in _FENCE.findall(text))]
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    decoder = json.JSONDecoder()
    starts = [i for i, ch in enumerate(text) if ch == "{"][:_MAX_STARTS]
    for start in starts:
        try:
            value, _ = decoder.raw_decode(text, start)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    if "{" not in text:
        raise ValueError("the answer holds no JSON object")
    raise ValueError("the answer is not valid JSON")
