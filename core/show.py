"""`aidigest show`: a parsed query answered from built days (on disk, or Redis via `read`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from core.digest import Digest
from core.query import DatesQuery, HelpQuery, QueryError, ShowQuery, parse, usage
from core.report import render_section
from core.taxonomy import Taxonomy

Reader = Callable[[str, str], Digest | None]


def _cli(text: str) -> str:
    return text.replace("/aidigest ", "aidigest show ")


def show_text(
    text: str,
    *,
    taxonomy: Taxonomy,
    today: date,
    lang: str,
    dates: Sequence[str],
    read: Reader,
    where: str,
) -> tuple[str, bool]:
    """(what to print, ok). Never raises on what a user typed."""
    q = parse(text, taxonomy, today)
    if isinstance(q, QueryError):
        return _cli(q.message), False
    if isinstance(q, HelpQuery):
        return _cli(usage(lang)), True
    if isinstance(q, DatesQuery):
        if not dates:
            return f"No built days in {where}. Run: aidigest demo", False
        return "\n".join(dates), True
    if not isinstance(q, ShowQuery):
        return "Subscriptions are made in Slack or Discord with /aidigest subscribe.", False
    if not dates:
        return f"No built days in {where}. Run: aidigest demo (or aidigest build)", False
    day = q.date.isoformat() if q.date else dates[0]
    digest = read(day, lang) if day in dates else None
    if digest is None:
        recent = ", ".join(dates[:5])
        return (
            f"No digest for {day} in {where}. Built days: {recent}. Try: aidigest show {dates[0]}",
            False,
        )
    return _answer(digest, q, taxonomy)


def _answer(digest: Digest, q: ShowQuery, taxonomy: Taxonomy) -> tuple[str, bool]:
    kinds = q.kinds or ("news", "papers")
    if q.category is None and len(kinds) > 1:
        return overview(digest), True
    found = [
        s
        for s in digest.sections
        if s.kind in kinds and (q.category is None or s.category == q.category)
    ]
    if found:
        return "\n".join(render_section(s) for s in found), True
    want = taxonomy.name(kinds[0], q.category) if q.category else "any"
    return (
        f"No {want} section in {'/'.join(kinds)} on {digest.date}.\n" + overview(digest),
        False,
    )


def overview(digest: Digest) -> str:
    lines = [f"Digest of {digest.date}:"]
    for kind, kd in digest.kinds.items():
        parts = [f"{kd.names[c]} ({kd.counts[c]})" for c in kd.sections]
        lines.append(f"  {kind} — {kd.total} items: {', '.join(parts) or 'no sections'}")
    first = next(iter(digest.sections), None)
    if first is not None:
        lines.append(f"Try: aidigest show {first.kind} {first.name} {digest.date}")
    return "\n".join(lines)
