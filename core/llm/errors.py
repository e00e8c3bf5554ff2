"""What can go wrong with an LLM call, each as its own exception, with the server's own words.

A note in a report or in `aidigest status` is only useful if it says what the server said
("model 'qwen2.5' not found, try pulling it first"), so every status error carries the server's
message — never the key (redacted) and never the prompt.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import openai

_KEYLIKE = re.compile(r"\b(sk|key|tok)-[A-Za-z0-9_\-]{8,}")
MESSAGE_CHARS = 300


class LLMError(Exception):
    """A call failed. The message names what failed, never the key or the prompt."""


class InvalidAnswer(LLMError):
    """The model answered, but not with what was asked (not JSON, cut off, failed a check)."""


class BudgetSpent(LLMError):
    """The build's LLM budget (wall time or tokens) is spent: no more calls are made."""


class ContextOverflow(LLMError):
    """The prompt and the answer do not fit the model's context window (`window` tokens, 0 when
    the server did not say). Asking again with the same prompt cannot succeed."""

    def __init__(self, message: str, window: int) -> None:
        super().__init__(message)
        self.window = window


def server_message(e: openai.APIStatusError) -> str:
    """The server's own error message, on one line (OpenAI, Ollama and llama.cpp put it in
    {"error": {"message"}}, vLLM at the top level, some servers as a bare string)."""
    body = e.body
    detail = ""
    if isinstance(body, dict):
        inner = body.get("error")
        source = inner if isinstance(inner, dict) else body
        found = source.get("message") or source.get("detail")
        if isinstance(found, str):
            detail = found
        elif isinstance(inner, str):
            detail = inner
    elif isinstance(body, str):
        detail = body
    return " ".join(detail.split())


def redact(text: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return _KEYLIKE.sub("***", text)[:MESSAGE_CHARS]
