"""Choose the classify/summarise engine: an LLM when one is configured, else the offline rules."""

from __future__ import annotations

from typing import Any

from core.pipeline import Engine
from core.settings import Settings


def make_engine(settings: Settings, offline: bool = False, redis: Any = None) -> Engine:
    """The offline engine when asked, or when neither OPENAI_API_KEY nor OPENAI_BASE_URL is set.
    `redis` (a redis.Redis) holds the LLM answer cache; without it, files in OPENAI_CACHE_DIR."""
    if offline or not settings.openai.configured:
        return Engine()
    from core.llm_engine import llm_engine  # only when configured: keeps `openai` off the demo path

    return llm_engine(settings, redis=redis)
