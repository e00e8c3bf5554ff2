"""The LLM client: one structured-output call, cached, bounded, retried, counted.

`LLM.complete_json` asks an OpenAI-compatible server for a JSON object matching a schema. It
looks in the answer cache first, holds one of `concurrency` slots while a request is in flight,
retries throttling and server errors itself (honouring Retry-After; the openai client's own
retries are off so every request is seen and counted), caps the answer's size, and adds each
response's `usage` to the totals. Errors are `LLMError`, whose messages never carry the key.

Calls are synchronous; parallelism is threads (`LLM.map`), so callers stay plain functions.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import openai
from openai import OpenAI

from core.llm.cache import Answer, AnswerCache, NoCache, cache_key
from core.settings import OpenAISettings

log = logging.getLogger(__name__)

OPENAI_URL = "https://api.openai.com/v1"
RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
MAX_ANSWER_CHARS = 100_000  # a section summary is a few thousand; more is a runaway answer
_KEYLIKE = re.compile(r"\b(sk|key|tok)-[A-Za-z0-9_\-]{8,}")

Check = Callable[[Answer], str]  # the reason an answer is unusable, or "" when it is fine
T = TypeVar("T")
R = TypeVar("R")


class LLMError(Exception):
    """A call failed. The message names what failed, never the key or the prompt."""


class InvalidAnswer(LLMError):
    """The model answered, but not with what was asked (not JSON, cut off, failed a check)."""


class LLM:
    def __init__(
        self,
        client: OpenAI,
        model: str,
        *,
        cache: AnswerCache | None = None,
        concurrency: int = 16,
        max_retries: int = 3,
        token_param: str = "max_tokens",
        retry_after_cap: float = 60.0,
        backoff: float = 0.5,
        max_answer_chars: int = MAX_ANSWER_CHARS,
        secrets: Sequence[str] = (),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.model = model
        self.cache: AnswerCache = cache if cache is not None else NoCache()
        self.concurrency = max(1, concurrency)
        self.max_retries = max(0, max_retries)
        self.token_param = token_param
        self.retry_after_cap = retry_after_cap
        self.backoff = backoff
        self.max_answer_chars = max_answer_chars
        self._secrets = [s for s in secrets if s]
        self._sleep = sleep
        self._slots = threading.BoundedSemaphore(self.concurrency)
        self._lock = threading.Lock()
        self._calls = self._tokens = self._hits = self._retries = 0

    @classmethod
    def from_settings(
        cls, settings: OpenAISettings, cache: AnswerCache | None = None, **options: Any
    ) -> LLM:
        key = settings.api_key.get_secret_value() if settings.api_key else ""
        client = OpenAI(
            # Local servers (Ollama, vLLM, llama.cpp) want no key, but the client insists on one.
            api_key=key or "no-key",
            base_url=settings.base_url or OPENAI_URL,  # explicit: the client reads no env
            timeout=settings.timeout,
            max_retries=0,
        )
        options.setdefault("concurrency", settings.concurrency)
        options.setdefault("max_retries", settings.max_retries)
        # OpenAI's newer models refuse max_tokens; compatible servers may not know the new name.
        options.setdefault(
            "token_param", "max_tokens" if settings.base_url else "max_completion_tokens"
        )
        return cls(client, settings.model, cache=cache, secrets=[key], **options)

    # --- accounting -------------------------------------------------------------------------

    def usage(self) -> tuple[int, int]:
        """(requests sent, tokens used) so far; cache hits cost neither."""
        with self._lock:
            return self._calls, self._tokens

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {
                "calls": self._calls,
                "tokens": self._tokens,
                "cache_hits": self._hits,
                "retries": self._retries,
            }

    def _count(self, calls: int = 0, tokens: int = 0, hits: int = 0, retries: int = 0) -> None:
        with self._lock:
            self._calls += calls
            self._tokens += tokens
            self._hits += hits
            self._retries += retries

    # --- calls ------------------------------------------------------------------------------

    def map(self, fn: Callable[[T], R], args: Iterable[T]) -> list[R]:
        """fn over args, all at once (threads; the slots bound what is in flight), in order."""
        todo = list(args)
        if len(todo) <= 1:
            return [fn(a) for a in todo]
        with ThreadPoolExecutor(max_workers=min(len(todo), self.concurrency)) as pool:
            return list(pool.map(fn, todo))

    def complete_json(
        self,
        messages: list[dict[str, str]],
        schema: dict[str, Any],
        name: str,
        *,
        check: Check | None = None,
        max_tokens: int | None = None,
    ) -> Answer:
        """The model's JSON object for `messages`, matching `schema` (strict structured output).

        Only answers that parse (and pass `check`) are cached, so a bad answer is asked again
        next time. Raises InvalidAnswer for an unusable answer, LLMError when no answer came.
        """
        key = cache_key(self.model, messages, {"name": name, "schema": schema})
        cached = self.cache.get(key)
        if cached is not None and not (check and check(cached)):
            self._count(hits=1)
            return cached
        answer = self._parse(self._request(messages, schema, name, max_tokens), name)
        reason = check(answer) if check else ""
        if reason:
            raise InvalidAnswer(reason)
        self.cache.put(key, answer)
        return answer

    def _request(
        self,
        messages: list[dict[str, str]],
        schema: dict[str, Any],
        name: str,
        max_tokens: int | None,
    ) -> Any:
        request: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": name, "schema": schema, "strict": True},
            },
        }
        if max_tokens:
            request[self.token_param] = max_tokens
        for attempt in range(self.max_retries + 1):
            last = attempt == self.max_retries
            try:
                with self._slots:
                    self._count(calls=1)
                    return self.client.chat.completions.create(**request)
            except openai.APIStatusError as e:
                if e.status_code not in RETRY_STATUSES:
                    raise LLMError(self._safe(f"{name}: {_status_text(e)}")) from None
                if last:
                    raise LLMError(
                        f"{name}: HTTP {e.status_code} from the model server "
                        f"after {attempt + 1} tries"
                    ) from None
                wait = self._retry_after(e.response.headers, attempt)
                why = f"HTTP {e.status_code}"
            except openai.APITimeoutError:
                if last:
                    raise LLMError(
                        f"{name}: no answer within the timeout, {attempt + 1} tries"
                    ) from None
                wait, why = self._backoff(attempt), "timeout"
            except openai.APIConnectionError:
                if last:
                    raise LLMError(
                        f"{name}: cannot reach the model server ({attempt + 1} tries)"
                    ) from None
                wait, why = self._backoff(attempt), "connection error"
            except openai.OpenAIError as e:
                raise LLMError(f"{name}: {type(e).__name__} from the model client") from None
            log.info("LLM %s: %s, retrying in %.1f s", name, why, wait)
            self._count(retries=1)
            self._sleep(wait)  # outside the slot: a throttled call must not block the others
        raise AssertionError("unreachable")

    def _parse(self, response: Any, name: str) -> Answer:
        usage = getattr(response, "usage", None)
        choice = response.choices[0] if getattr(response, "choices", None) else None
        content = (choice.message.content if choice else None) or ""
        tokens = usage.total_tokens if usage and usage.total_tokens else len(content) // 4
        self._count(tokens=tokens)
        if choice is None:
            raise InvalidAnswer(f"{name}: the answer has no choices")
        if getattr(choice.message, "refusal", None):
            raise InvalidAnswer(f"{name}: the model refused")
        if choice.finish_reason == "length":
            raise InvalidAnswer(f"{name}: the answer was cut off at the token limit")
        if len(content) > self.max_answer_chars:
            raise InvalidAnswer(f"{name}: the answer is too long ({len(content)} characters)")
        try:
            value = json.loads(content)
        except ValueError:
            raise InvalidAnswer(f"{name}: the answer is not valid JSON") from None
        if not isinstance(value, dict):
            raise InvalidAnswer(f"{name}: the answer is not a JSON object")
        return value

    def _retry_after(self, headers: Mapping[str, str], attempt: int) -> float:
        """The server's Retry-After (seconds, ms, or an HTTP date), capped; else backoff."""
        for header, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
            value = headers.get(header)
            if value is not None:
                seconds = _seconds(value, scale)
                if seconds is not None:
                    return min(self.retry_after_cap, max(0.0, seconds))
        return self._backoff(attempt)

    def _backoff(self, attempt: int) -> float:
        return min(8.0, self.backoff * 2.0**attempt) * random.uniform(0.75, 1.0)

    def _safe(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return _KEYLIKE.sub("***", text)[:300]


def _seconds(value: str, scale: float) -> float | None:
    try:
        return float(value) * scale
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value).timestamp() - time.time()
    except (TypeError, ValueError, IndexError):
        return None


def _status_text(e: openai.APIStatusError) -> str:
    """The status and the server's own message (it may name a missing model), never the body."""
    detail = ""
    if isinstance(e.body, dict):
        inner = e.body.get("error")
        source = inner if isinstance(inner, dict) else e.body
        if isinstance(source.get("message"), str):
            detail = str(source["message"])
    return f"HTTP {e.status_code} from the model server" + (f": {detail}" if detail else "")
