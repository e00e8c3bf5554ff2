"""One chat-completions exchange on the wire: the request body we send, the JSON object we read
out of the response, and how long the server asks us to wait (Retry-After). Pure functions;
core/llm/chat.py sends, retries and counts."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping
from typing import Any

from core.llm import dialect
from core.llm.cache import Answer
from core.llm.dialect import Mode
from core.llm.errors import InvalidAnswer


def request_body(
    model: str,
    messages: list[dict[str, str]],
    schema: dict[str, Any],
    name: str,
    mode: Mode,
    *,
    max_tokens: int | None = None,
    token_param: str = "max_tokens",
    temperature: float | None = None,
) -> dict[str, Any]:
    """The create() arguments asking for `schema` in structured-output `mode`."""
    body: dict[str, Any] = {
        "model": model,
        "messages": dialect.with_schema_in_prompt(messages, mode, schema),
    }
    fmt = dialect.response_format(mode, name, schema)
    if fmt is not None:
        body["response_format"] = fmt
    if max_tokens:
        body[token_param] = max_tokens
    if temperature is not None:
        body["temperature"] = temperature
    return body


def tokens_used(response: Any) -> int:
    """The response's `usage`, or an estimate (4 characters a token) when the server sent none."""
    usage = getattr(response, "usage", None)
    if usage and usage.total_tokens:
        return int(usage.total_tokens)
    return len(_content(_choice(response))) // 4


def read_answer(response: Any, name: str, max_chars: int) -> Answer:
    """The JSON object the model answered; InvalidAnswer says why there is none."""
    choice = _choice(response)
    if choice is None:
        raise InvalidAnswer(f"{name}: the answer has no choices")
    if getattr(choice.message, "refusal", None):
        raise InvalidAnswer(f"{name}: the model refused")
    if choice.finish_reason == "length":
        raise InvalidAnswer(f"{name}: the answer was cut off at the token limit")
    content = _content(choice)
    if len(content) > max_chars:
        raise InvalidAnswer(f"{name}: the answer is too long ({len(content)} characters)")
    try:
        return dialect.read_json_object(content)
    except ValueError as e:
        raise InvalidAnswer(f"{name}: {e}") from None


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds the server asks us to wait (retry-after-ms, or Retry-After in seconds or as an
    HTTP date), or None when it says nothing usable."""
    for header, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(header)
        if value is not None:
            seconds = _seconds(value, scale)
            if seconds is not None:
                return max(0.0, seconds)
    return None


def _choice(response: Any) -> Any:
    return response.choices[0] if getattr(response, "choices", None) else None


def _content(choice: Any) -> str:
    return (choice.message.content if choice else None) or ""


def _seconds(value: str, scale: float) -> float | None:
    try:
        return float(value) * scale
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value).timestamp() - time.time()
    except (TypeError, ValueError, IndexError):
        return None
