"""Which sections the LLM wrote, which are the offline summary instead, and why — told the
same way by the report's header, by each fallback section, and by `aidigest status`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import get_args

from core.digest import Digest, FallbackReason, Section
from core.headings import label

REASONS: tuple[str, ...] = tuple(r for r in get_args(FallbackReason) if r)


def header_line(digest: Digest, model: str = "") -> str:
    """One line: how many sections the LLM wrote, how many fell back and why. `model`: the
    model's name as the renderer shows it (escaped), default the digest's."""
    lang = digest.lang
    if digest.build.llm == "offline":
        return label(lang, "mode_offline")
    model = model or digest.build.llm
    total = len(digest.sections)
    llm = sum(s.mode == "llm" for s in digest.sections)
    fell = [s for s in digest.sections if s.mode == "offline-fallback"]
    why = _reasons(lang, fell)
    if not fell:
        return label(lang, "llm_all", model=model, total=total)
    key = "llm_none" if llm == 0 else "llm_some"
    return label(lang, key, model=model, total=total, llm=llm, off=len(fell), why=why)


def section_line(section: Section) -> str:
    """What a fallback section says where it stands (its note follows)."""
    reason = section.fallback or "failed"
    return label(section.lang, f"fallback_{reason}")


def status_lines(digest: Digest, most: int = 5) -> list[str]:
    """For `aidigest status`: the header line, then each distinct reason given (the server's own
    message among them), with how many sections gave it."""
    fell = [s for s in digest.sections if s.mode == "offline-fallback"]
    if digest.build.llm == "offline":
        return []
    lines = [f"Summaries ({digest.lang}): {header_line(digest)}"]
    notes = Counter((s.fallback or "failed", s.note) for s in fell)
    for (reason, note), n in notes.most_common(most):
        lines.append(f"  offline ({reason}) ×{n}: {note}")
    if len(notes) > most:
        lines.append(f"  … and {len(notes) - most} other reasons")
    return lines


def _reasons(lang: str, fell: Sequence[Section]) -> str:
    counts: Counter[str] = Counter(s.fallback or "failed" for s in fell)
    return ", ".join(label(lang, f"reason_{r}", n=counts[r]) for r in REASONS if counts[r])
