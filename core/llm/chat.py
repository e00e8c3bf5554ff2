"""The LLM client: one JSON-answer call, cached, bounded, retried, counted.

`LLM.complete_json` asks an OpenAI-compatible server for a JSON object matching a schema. It
looks in the answer cache first; then, within the build's budget (core/llm/budget.py), holds one
of `concurrency` slots while a request is in flight, asks in the best structured-output mode the
server takes (core/llm/dialect.py: learned from its refusals, once per process), retries
throttling, timeouts and server errors (honouring Retry-After; the openai client's own retries
are off so every request is seen and counted) but never an error a retry cannot fix (400, 401,
404, 422, a refused response_format, a prompt over the context window), reads the JSON out of
the answer tolerantly, caps its size, and counts each response's `usage` (the request and the
response as data: core/llm/wire.py). Errors are the classes of core/llm/errors.py, carrying the
server's own message, never the key.

Calls are synchronous; parallelism is threads (`LLM.map`), so callers stay plain functions.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import openai
from openai import OpenAI

from core.llm import dialect, wire
from core.llm.budget import Budget
from core.llm.cache import Answer, AnswerCache, NoCache, cache_key
from core.llm.dialect import Mode
from core.llm.errors import (
    BudgetSpent,
    ContextOverflow,
    InvalidAnswer,
    LLMError,
    redact,
    server_message,
)
from core.settings import OpenAISettings

log = logging.getLogger(__name__)

OPENAI_URL = "https://api.openai.com/v1"
RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
MAX_ANSWER_CHARS = 100_000  # a section summary is a few thousand; more is a runaway answer
OPENAI_TIMEOUT, LOCAL_TIMEOUT = 60.0, 600.0  # a local model on a CPU may take minutes
LOCAL_TEMPERATURE = 0.2  # Ollama's compatible endpoint otherwise samples at 1.0

Check = Callable[[Answer], str]  # the reason an answer is unusable, or "" when it is fine
T = TypeVar("T")
R = TypeVar("R")

__all__ = ["LLM", "BudgetSpent", "ContextOverflow", "InvalidAnswer", "LLMError"]


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
        budget: Budget | None = None,
        mode: Mode | None = None,
        server: str = "",
        timeout: float | None = None,
        temperature: float | None = None,
        context_tokens: int = 0,
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
        self.budget = budget or Budget.unlimited()
        self.pinned_mode = mode  # None: learn the best mode the server takes
        self.server = server or str(client.base_url)
        self.timeout = timeout if timeout is not None else OPENAI_TIMEOUT  # per request
        self.temperature = temperature
        self.context_tokens = context_tokens  # 0: the window is large enough for any ask
        self._secrets = [s for s in secrets if s]
        self._sleep = sleep
        self._slots = threading.BoundedSemaphore(self.concurrency)
        self._lock = threading.Lock()
        self._calls = self._tokens = self._hits = self._retries = 0

    @classmethod
    def from_settings(
        cls,
        settings: OpenAISettings,
        cache: AnswerCache | None = None,
        *,
        budget: Budget | None = None,
        **options: Any,
    ) -> LLM:
        key = settings.api_key.get_secret_value() if settings.api_key else ""
        local = bool(settings.base_url)
        timeout = settings.timeout or (LOCAL_TIMEOUT if local else OPENAI_TIMEOUT)
        client = OpenAI(
            # Local servers (Ollama, vLLM, llama.cpp) want no key, but the client insists on one.
            api_key=key or "no-key",
            base_url=settings.base_url or OPENAI_URL,  # explicit: the client reads no env
            timeout=timeout,
            max_retries=0,
        )
        options.setdefault("concurrency", settings.concurrency)
        options.setdefault("max_retries", settings.max_retries)
        # OpenAI's newer models refuse max_tokens; compatible servers may not know the new name.
        options.setdefault("token_param", "max_tokens" if local else "max_completion_tokens")
        options.setdefault("temperature", LOCAL_TEMPERATURE if local else None)
        options.setdefault("mode", dialect.MODES.get(settings.response_format))
        options.setdefault("context_tokens", settings.context_tokens)
        if budget is None:
            budget = Budget(settings.budget_seconds, settings.budget_tokens)
        return cls(
            client,
            settings.model,
            cache=cache,
            secrets=[key],
            budget=budget,
            server=settings.base_url or OPENAI_URL,
            timeout=timeout,
            **options,
        )

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
        self.budget.spend(tokens)

    @property
    def mode(self) -> Mode:
        """The structured-output mode the next request uses."""
        return self.pinned_mode or dialect.learned_mode(self.server, self.model)

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
        """The model's JSON object for `messages`, matching `schema`.

        Only answers that parse (and pass `check`) are cached, so a bad answer is asked again
        next time. Raises InvalidAnswer for an unusable answer, BudgetSpent when the build's
        budget is spent, ContextOverflow when the ask does not fit, LLMError otherwise.
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
        attempt = 0
        while True:
            mode = self.mode
            request = wire.request_body(
                self.model,
                messages,
                schema,
                name,
                mode,
                max_tokens=max_tokens,
                token_param=self.token_param,
                temperature=self.temperature,
            )
            try:
                with self._slots:
                    timeout = self._time_left(name)
                    self._count(calls=1)
                    return self.client.chat.completions.create(**request, timeout=timeout)
            except openai.APIStatusError as e:
                status, detail = e.status_code, self._safe(server_message(e))
                said = f"HTTP {status} from the model server" + (f": {detail}" if detail else "")
                if dialect.refuses_format(status, detail):
                    weaker = (
                        None if self.pinned_mode else dialect.learn(self.server, self.model, mode)
                    )
                    if weaker is None:  # asking the same way again cannot succeed
                        raise LLMError(f"{name}: {said}") from None
                    log.warning("LLM server refuses %s (%s); asking in %s", mode, said, weaker)
                    continue  # not a retry: the same question, asked the way it takes
                window = dialect.context_window(status, detail)
                if window is not None:
                    raise ContextOverflow(f"{name}: {said}", window) from None
                if status not in RETRY_STATUSES:
                    raise LLMError(f"{name}: {said}") from None
                failed, why = said, f"HTTP {status}"
                wait = self._retry_after(e.response.headers, attempt)
            except openai.APITimeoutError:
                if self.budget.exhausted():
                    raise BudgetSpent(f"{name}: {self.budget.exhausted()}") from None
                failed = f"no answer within the timeout ({self.timeout:g} s)"
                wait, why = self._backoff(attempt), "timeout"
            except openai.APIConnectionError:
                failed = f"cannot reach the model server at {self.server}"
                wait, why = self._backoff(attempt), "connection error"
            except openai.OpenAIError as e:
                raise LLMError(f"{name}: {type(e).__name__} from the model client") from None
            if attempt >= self.max_retries:
                raise LLMError(f"{name}: {failed} ({attempt + 1} tries)")
            if wait >= self.budget.seconds_left():
                raise BudgetSpent(f"{name}: {why}, and the build's LLM time budget runs out")
            log.info("LLM %s: %s, retrying in %.1f s", name, why, wait)
            self._count(retries=1)
            self._sleep(wait)  # outside the slot: a throttled call must not block the others
            attempt += 1

    def _time_left(self, name: str) -> float:
        """This request's timeout: the per-call one, or less when the budget ends sooner."""
        why = self.budget.exhausted()
        if why:
            raise BudgetSpent(f"{name}: {why}")
        return max(0.1, min(self.timeout, self.budget.seconds_left()))

    def _parse(self, response: Any, name: str) -> Answer:
        self._count(tokens=wire.tokens_used(response))
        return wire.read_answer(response, name, self.max_answer_chars)

    def _retry_after(self, headers: Mapping[str, str], attempt: int) -> float:
        """The server's Retry-After, capped; else our backoff."""
        asked = wire.retry_after(headers)
        return self._backoff(attempt) if asked is None else min(self.retry_after_cap, asked)

    def _backoff(self, attempt: int) -> float:
        return min(8.0, self.backoff * 2.0**attempt) * random.uniform(0.75, 1.0)

    def _safe(self, text: str) -> str:
        return redact(text, self._secrets)
