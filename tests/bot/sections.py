"""A section built by hand for the bots' rendering tests, Discord's and Slack's alike."""

from __future__ import annotations

from core.digest import Section, SourceRef, SummaryPart
from core.items import Kind


def llm_section(
    kind: Kind, parts: list[SummaryPart], sources: list[SourceRef], total: int
) -> Section:
    """The LLM category's section of `kind` on 2024-10-04, in English: only what it holds varies."""
    return Section(
        date="2024-10-04",
        lang="en",
        kind=kind,
        category="llm",
        name="LLM",
        parts=parts,
        sources=sources,
        total=total,
    )
