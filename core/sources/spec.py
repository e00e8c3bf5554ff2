"""What a source is, as the operator configures it.

A TOML list of [[source]] tables; the shipped default is core/data/sources.toml.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.items import Kind
from core.sources.address import networks

SourceType = Literal["arxiv", "hf_daily", "feed", "hn", "saved"]
SavedFormat = Literal["arxiv", "hf_daily", "feed", "hn"]


class SourceSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str  # unique; letters, digits, - and _ (it becomes part of job ids)
    type: SourceType
    kind: Kind
    url: str  # http(s); for `saved`: package:… or file:…, with {date} for the day
    categories: tuple[str, ...] = ()  # arXiv categories to query
    query: str = ""  # Hacker News search words
    min_points: int = 0  # Hacker News
    max_items: int = 50  # newest items kept from this source per day
    page_size: int = 100  # arXiv page size
    lang: str = "en"  # language of the source's text
    enabled: bool = True
    format: SavedFormat | None = None  # `saved` sources: the type whose parser reads the file
    trusted: bool = False  # only AI items (arXiv cs.*, an AI blog): none is dropped as not AI
    # Seconds for all of this source's requests together (connect, every read, retries, pages).
    deadline: float = Field(default=30.0, gt=0, le=600)
    # Fetches (and redirects, and HN's linked pages) never reach loopback, link-local or private
    # addresses unless allowed: true, or a list of the networks this source may reach
    # (["10.1.2.0/24"]) for an intranet feed. Tests on the 127.0.0.1 stand-ins set it.
    allow_private: bool | tuple[str, ...] = False
    linked_pages: bool = True  # Hacker News: read each story's page for its title and text

    @field_validator("allow_private")
    @classmethod
    def _known_networks(cls, value: bool | tuple[str, ...]) -> bool | tuple[str, ...]:
        networks(value)  # a ValueError names the entry that is not a network
        return value


def load_sources(path: Path | str | None = None) -> list[SourceSpec]:
    """The enabled sources of a TOML file ([[source]] tables): a path, `package:NAME` for one
    shipped with aidigest (under core/data/), or None for the shipped default list."""
    if path is None or str(path).startswith("package:"):
        name = str(path or "package:sources.toml").partition(":")[2]
        text = resources.files("core.data").joinpath(name).read_text("utf-8")
        origin = f"core/data/{name}"
    else:
        text = Path(path).read_text("utf-8")
        origin = str(path)
    try:
        raw = tomllib.loads(text)
        specs = [SourceSpec(**entry) for entry in raw.get("source", [])]
    except (tomllib.TOMLDecodeError, ValidationError, TypeError) as e:
        raise ValueError(f"{origin}: bad source list: {e}") from e
    names = [s.name for s in specs]
    for n in names:
        if names.count(n) > 1:
            raise ValueError(f"{origin}: source name {n!r} appears twice")
        if not n.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"{origin}: source name {n!r} must be letters, digits, - or _")
    return [s for s in specs if s.enabled]
