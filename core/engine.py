"""What classifies and summarises a day: the offline classifier and extracts, or an LLM when one
is configured. Either way classification also judges relevance (NOT_AI for an item not about
AI; the pipeline sets those aside)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from core.classify import ClassifierName, OfflineClassifier
from core.digest import Section
from core.extractive import summarise_offline
from core.items import Item
from core.plan import SectionInput
from core.settings import Settings
from core.taxonomy import Taxonomy


class Classifier(Protocol):
    """Item id -> category id (or NOT_AI), for every item."""

    def __call__(self, items: Sequence[Item], taxonomy: Taxonomy) -> dict[str, str]: ...


class Summariser(Protocol):
    def __call__(self, inputs: Sequence[SectionInput]) -> list[Section]: ...


def summarise_all_offline(inputs: Sequence[SectionInput]) -> list[Section]:
    return [summarise_offline(i) for i in inputs]


@dataclass
class Engine:
    """What classifies and summarises: the offline classifier, or an LLM (see core/llm/)."""

    classify: Classifier = field(default_factory=lambda: OfflineClassifier(relevance=True))
    summarise: Summariser = summarise_all_offline
    name: str = "offline"  # "offline" or the model's name

    def usage(self) -> tuple[int, int]:
        """(LLM calls, tokens) spent so far; the offline engine spends none."""
        return 0, 0

    def share_budget(self, started: float, spent: int) -> None:
        """Count the LLM budget from `started` (epoch seconds) with `spent` tokens already
        used, so the jobs of one build share one budget. The offline engine has none."""


def make_engine(settings: Settings, offline: bool = False, redis: Any = None) -> Engine:
    """The offline engine when asked, or when neither OPENAI_API_KEY nor OPENAI_BASE_URL is set.
    `redis` (a redis.Redis) holds the LLM answer cache; without it, files in OPENAI_CACHE_DIR."""
    if offline or not settings.openai.configured:
        name = cast(ClassifierName, settings.digest.classifier)  # validated by the settings
        return Engine(classify=OfflineClassifier(name, relevance=True))
    from core.llm.factory import (
        llm_engine,  # only when configured: keeps `openai` off the demo path
    )

    return llm_engine(settings, redis=redis)
