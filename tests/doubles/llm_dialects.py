"""How each OpenAI-compatible server takes (or refuses) a chat request, for the LLM stand-in.

Each dialect follows its server's documentation and known behaviour:

  openai    response_format json_schema (strict: every object needs additionalProperties false
            and all its properties required, else 400 invalid_request_error) and json_object (400
            unless a message contains the word "json"); errors {"error": {message, type, param,
            code}}; a prompt over the window: 400 context_length_exceeded.
  ollama    /v1 compatibility (openai/openai.go): json_schema takes `json_schema.schema`,
            json_object means format "json", any other type is ignored; an unknown model is 404
            `model "x" not found, try pulling it first`; a prompt over num_ctx is silently
            truncated (the model never sees the end of it).
  vllm      json_schema and json_object (xgrammar); errors at the top level {"object": "error",
            message, type: "BadRequestError", code}; unknown model 404 NotFoundError; over the
            window: 400 "This model's maximum context length is N tokens. However, you
            requested …".
  llamacpp  llama-cpp-python's server (`python -m llama_cpp.server`): response_format type must
            be "text" or "json_object" (which takes a `schema`); json_schema fails request
            validation, which its route handler turns into HTTP 500 internal_server_error with
            pydantic's message; over the window: 400 context_length_exceeded.
  plain     a minimal server that takes no response_format at all (400).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

DIALECTS = ("openai", "ollama", "vllm", "llamacpp", "plain")


@dataclass(frozen=True)
class Format:
    """What the server will hold the answer to: "schema", "object" or "text"."""

    kind: str
    schema: dict[str, Any] | None = None


def tokens(text: str) -> int:
    """Roughly what a tokenizer counts: four ASCII characters, or one other character, a token."""
    ascii_chars = sum(1 for ch in text if ord(ch) < 128)
    return ascii_chars // 4 + (len(text) - ascii_chars)


def error(dialect: str, status: int, message: str, kind: str = "", code: str = "") -> web.Response:
    if dialect == "vllm":
        body: dict[str, Any] = {
            "object": "error",
            "message": message,
            "type": kind or ("NotFoundError" if status == 404 else "BadRequestError"),
            "param": None,
            "code": status,
        }
        return web.json_response(body, status=status)
    if dialect == "llamacpp":
        kind = kind or ("internal_server_error" if status >= 500 else "invalid_request_error")
        inner = {"message": message, "type": kind, "param": None, "code": code or None}
        return web.json_response({"error": inner}, status=status)
    if dialect == "ollama":
        kind = kind or {400: "invalid_request_error", 404: "not_found_error"}.get(
            status, "api_error"
        )
        inner = {"message": message, "type": kind, "param": None, "code": code or None}
        return web.json_response({"error": inner}, status=status)
    inner = {"message": message, "type": kind or "invalid_request_error", "param": None}
    inner["code"] = code or None
    return web.json_response({"error": inner}, status=status)


def refusal(
    dialect: str, body: dict[str, Any], known_models: tuple[str, ...]
) -> web.Response | None:
    """The error this server answers `body` with, or None when it takes it."""
    model = str(body.get("model", ""))
    if known_models and model not in known_models:
        if dialect == "ollama":
            return error(dialect, 404, f'model "{model}" not found, try pulling it first')
        if dialect == "vllm":
            return error(dialect, 404, f"The model `{model}` does not exist.")
        return error(dialect, 404, f"The model `{model}` does not exist", code="model_not_found")
    fmt = body.get("response_format")
    if not isinstance(fmt, dict):
        return None
    kind = fmt.get("type")
    if dialect == "plain":
        return error(dialect, 400, "response_format is not supported by this server")
    if dialect == "llamacpp" and kind not in ("text", "json_object"):
        detail = (
            "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', "
            "'response_format', 'type'), 'msg': \"Input should be 'text' or 'json_object'\", "
            f"'input': {kind!r}, 'ctx': {{'expected': \"'text' or 'json_object'\"}}}}"
        )
        return error(dialect, 500, detail)
    if dialect == "openai":
        if kind not in ("text", "json_object", "json_schema"):
            return error(
                dialect,
                400,
                f"Invalid value: '{kind}'. Supported values are: 'json_object', 'json_schema', "
                "and 'text'.",
                code="invalid_value",
            )
        if kind == "json_object" and "json" not in json.dumps(body.get("messages", [])).lower():
            return error(
                dialect,
                400,
                "'messages' must contain the word 'json' in some form, to use 'response_format' "
                "of type 'json_object'.",
            )
        if kind == "json_schema":
            spec = fmt.get("json_schema") or {}
            problem = _strict_problem(spec.get("schema") or {}, ())
            if spec.get("strict") and problem:
                name = spec.get("name", "")
                return error(
                    dialect,
                    400,
                    f"Invalid schema for response_format '{name}': {problem}",
                    code="invalid_json_schema",
                )
    return None


def too_long(dialect: str, prompt_tokens: int, max_tokens: int, window: int) -> web.Response | None:
    """The context-window error, for servers that refuse rather than truncate."""
    if not window or dialect == "ollama" or prompt_tokens + max_tokens <= window:
        return None
    message = (
        f"This model's maximum context length is {window} tokens. However, you requested "
        f"{prompt_tokens + max_tokens} tokens ({prompt_tokens} in the messages, {max_tokens} in "
        "the completion). Please reduce the length of the messages or completion."
    )
    return error(dialect, 400, message, code="context_length_exceeded")


def held_to(dialect: str, body: dict[str, Any]) -> Format:
    """What the answer's shape is held to, once the request is taken."""
    fmt = body.get("response_format")
    kind = fmt.get("type") if isinstance(fmt, dict) else None
    if kind == "json_schema" and isinstance(fmt, dict):
        return Format("schema", (fmt.get("json_schema") or {}).get("schema"))
    if kind == "json_object" and isinstance(fmt, dict):
        schema = fmt.get("schema") if dialect in ("llamacpp",) else None
        return Format("schema" if schema else "object", schema)
    return Format("text")


def _strict_problem(schema: dict[str, Any], where: tuple[str, ...]) -> str:
    """OpenAI's strict-mode rules for one schema (recursively), or ""."""
    if schema.get("type") == "object":
        props = schema.get("properties") or {}
        if schema.get("additionalProperties") is not False:
            return (
                f"In context={where}, 'additionalProperties' is required to be supplied and "
                "to be false."
            )
        if sorted(schema.get("required") or []) != sorted(props):
            missing = sorted(set(props) - set(schema.get("required") or []))
            return (
                f"In context={where}, 'required' is required to be supplied and to be an array "
                f"including every key in properties. Missing {missing!r}."
            )
        for key, sub in props.items():
            found = _strict_problem(sub, (*where, "properties", key))
            if found:
                return found
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        return _strict_problem(schema["items"], (*where, "items"))
    return ""
