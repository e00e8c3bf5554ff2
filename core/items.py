"""The item: one paper or news story, as every source yields it and every later step reads it."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["papers", "news"]
KINDS: tuple[Kind, ...] = ("news", "papers")


class Item(BaseModel):
    """A collected item. `id` is stable across runs and sources ("arxiv:2410.01201", "url:…")."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: Kind
    title: str
    url: str
    source: str  # the configured source's name, e.g. "arxiv" or "openai-news"
    summary: str = ""  # abstract or description, plain text
    published: datetime | None = None
    authors: tuple[str, ...] = ()
    arxiv_categories: tuple[str, ...] = ()  # primary first
    arxiv_id: str | None = None
    upvotes: int = 0  # Hugging Face Daily Papers
    points: int = 0  # Hacker News
    comments: int = 0
    also_in: tuple[str, ...] = ()  # other sources that carried the same item (set by merge)
    hot: float = Field(default=0.0)  # ranking score (set by merge)


def url_item_id(url: str) -> str:
    """An id for an item known only by its (canonical) URL."""
    return "url:" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


def arxiv_item_id(arxiv_id: str) -> str:
    return f"arxiv:{arxiv_id}"
