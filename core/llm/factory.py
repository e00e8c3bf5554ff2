"""The LLM engine: classification and summaries by an OpenAI-compatible model, through one
`LLM` (one cache, one concurrency limit, one usage count).

The answer cache lives in Redis when the caller hands in a connection (workers, bots), else in
files under OPENAI_CACHE_DIR (the CLI). Usage counts from the engine's creation: make one engine
per build for a per-build count (as the CLI and the jobs do); its budget, likewise, is the
build's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.engine import Engine
from core.llm.budget import Budget
from core.llm.cache import DEFAULT_TTL, AnswerCache, DiskCache, RedisCache
from core.llm.chat import LLM
from core.llm.classifier import LLMClassifier
from core.llm.summariser import LLMSummariser
from core.settings import Settings
from core.store.keys import Keys


@dataclass
class LLMEngine(Engine):
    llm: LLM | None = None

    def usage(self) -> tuple[int, int]:
        return self.llm.usage() if self.llm is not None else (0, 0)

    def share_budget(self, started: float, spent: int) -> None:
        if self.llm is not None:
            mine = self.llm.budget
            self.llm.budget = Budget(mine.seconds, mine.tokens, started=started, spent=spent)


def make_cache(settings: Settings, redis: Any = None, ttl: int = DEFAULT_TTL) -> AnswerCache:
    if redis is not None:
        return RedisCache(redis, Keys(settings.digest.key_prefix), ttl)
    return DiskCache(settings.openai.cache_dir, ttl)


def llm_engine(
    settings: Settings,
    redis: Any = None,
    *,
    cache: AnswerCache | None = None,
    concurrency: int | None = None,
    budget: Budget | None = None,
) -> Engine:
    """An Engine whose name is the model's. `redis` (a redis.Redis) holds the answer cache;
    `cache` replaces it outright; `concurrency` overrides OPENAI_CONCURRENCY; `budget` is the
    build's LLM budget (default: OPENAI_BUDGET_SECONDS/_TOKENS from now on)."""
    options: dict[str, Any] = {"concurrency": concurrency} if concurrency else {}
    llm = LLM.from_settings(
        settings.openai, cache or make_cache(settings, redis), budget=budget, **options
    )
    return LLMEngine(
        classify=LLMClassifier(llm),
        summarise=LLMSummariser(llm),
        name=llm.model,
        llm=llm,
    )
