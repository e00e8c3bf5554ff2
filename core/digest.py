"""A built day, as data: sections (summary parts citing numbered sources), counts, build info.

These models are what the store writes to Redis as JSON, what the report renders and what the
bots post. A section is about exactly its own sources: citation [n] means `sources[n-1]`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, Field

from core.items import Kind

SummaryMode = Literal["offline", "llm", "offline-fallback"]
# Why a section is the offline summary although an LLM was to write it: its answers broke the
# rules twice, the build's LLM budget was spent, the server failed, or the summary job failed.
FallbackReason = Literal["", "invalid", "budget", "server", "failed"]
History = Mapping[str, Mapping[str, Mapping[str, int]]]  # date -> kind -> category id -> count
_CITATION = re.compile(r"\[(\d{1,3})\]")


class SourceRef(BaseModel):
    n: int  # the number citations use: [n]
    item_id: str
    title: str
    url: str
    source: str  # configured source name
    upvotes: int = 0
    points: int = 0


class SummaryPart(BaseModel):
    key: str  # themes | keywords | events | impact | conclusion
    heading: str  # in the section's language
    text: str  # markdown-ish plain text with [n] citations


class Section(BaseModel):
    date: str  # YYYY-MM-DD
    lang: str
    kind: Kind
    category: str  # category id
    name: str  # category display name
    parts: list[SummaryPart]
    sources: list[SourceRef]
    total: int  # items of this category that day (sources holds the top `section_cap`)
    mode: SummaryMode = "offline"
    note: str = ""  # e.g. why an LLM summary was replaced by the offline one
    fallback: FallbackReason = ""  # set when mode is "offline-fallback"

    def citations(self) -> set[int]:
        return {int(n) for p in self.parts for n in _CITATION.findall(p.text)}


class Coverage(BaseModel):
    """What a source's take covered: the watermark's window (core/watermark.py) and, for a
    source on arXiv's calendar, the announcements in it. Kept with the day's build info."""

    start: str  # ISO 8601: released after …
    end: str  # … up to
    featured: int = 0  # items shown by an earlier digest, listed again
    replayed: bool = False  # the day's recorded take, asked again (a rebuild)
    gone: int = 0  # recorded items the source no longer serves (a replay of a rotated feed)
    scheduled: bool = False  # the source follows arXiv's announcement calendar
    announcements: list[str] = Field(default_factory=list)  # ISO 8601 (UTC), covered
    silent: list[tuple[str, str]] = Field(default_factory=list)  # [US-Eastern date, why]
    next_announcement: str | None = None  # ISO 8601 (UTC)


class SourceStatus(BaseModel):
    name: str
    kind: Kind
    ok: bool
    items: int = 0
    error: str = ""  # a clear, secret-free message when not ok
    seconds: float = 0.0
    trusted: bool = False  # the source carries only AI items: none of its items is skipped
    skipped: int = 0  # of its items, how many were skipped as not about AI
    coverage: Coverage | None = None  # None: taken whole (saved documents), or failed


class KindDigest(BaseModel):
    kind: Kind
    total: int
    counts: dict[str, int]  # category id -> items, every category including others
    names: dict[str, str]  # category id -> display name
    sections: list[str]  # category ids that have a section, most items first
    note: str = ""  # why the day is thin or empty, in the digest's language (core/notes.py)
    notes: dict[str, str] = Field(default_factory=dict)  # the note in every language built
    others: list[SourceRef] = Field(default_factory=list)  # the items in Others, hottest first
    skipped: list[SourceRef] = Field(default_factory=list)  # items not about AI (not counted)
    # listed again today by a source (HF upvotes) but shown by an earlier digest: not counted
    featured: list[SourceRef] = Field(default_factory=list)


class BuildInfo(BaseModel):
    started: str  # ISO 8601
    seconds: float = 0.0
    sources: list[SourceStatus] = Field(default_factory=list)
    llm: str = "offline"  # "offline" or the model name
    llm_calls: int = 0
    tokens: int = 0
    notes: list[str] = Field(default_factory=list)


class Digest(BaseModel):
    date: str
    lang: str
    kinds: dict[str, KindDigest]  # "news" / "papers"
    sections: list[Section]
    build: BuildInfo

    def section(self, kind: Kind, category: str) -> Section | None:
        for s in self.sections:
            if s.kind == kind and s.category == category:
                return s
        return None
