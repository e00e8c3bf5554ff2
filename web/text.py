"""A summary part's text as blocks of plain segments, for the templates to escape and mark up.

Summary text is "markdown-ish": lines starting with "- " are list items, `**x**` is emphasis,
`` `x` `` a keyword, [n] a citation of the section's source n. Nothing else is markup: a
markdown link, an HTML tag or an entity in a title or summary stays literal text. This module
builds no HTML; it only says which piece is which, and the template escapes every piece.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

SegmentKind = Literal["text", "strong", "code", "cite"]
_INLINE = re.compile(r"\*\*(?P<strong>[^*\n]+?)\*\*|`(?P<code>[^`\n]+)`|\[(?P<cite>\d{1,3})\]")


@dataclass(frozen=True)
class Segment:
    kind: SegmentKind
    text: str
    n: int = 0  # the cited source's number (cite segments of a known source)


@dataclass(frozen=True)
class Block:
    kind: Literal["p", "ul"]
    lines: list[list[Segment]]  # one line for "p", one per item for "ul"


def inline(text: str, known: set[int]) -> list[Segment]:
    """Segments of one line; a citation of a number the section has not is plain text."""
    out: list[Segment] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            out.append(Segment("text", text[pos : m.start()]))
        if m.group("strong") is not None:
            out.append(Segment("strong", m.group("strong")))
        elif m.group("code") is not None:
            out.append(Segment("code", m.group("code")))
        else:
            n = int(m.group("cite"))
            out.append(Segment("cite", f"[{n}]", n) if n in known else Segment("text", m.group()))
        pos = m.end()
    if pos < len(text):
        out.append(Segment("text", text[pos:]))
    return out


def blocks(text: str, known: set[int]) -> list[Block]:
    """Paragraphs and lists of a part's text; `known` are the section's source numbers."""
    out: list[Block] = []
    for raw in text.strip().splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("- "):
            item = inline(line[2:], known)
            if out and out[-1].kind == "ul":
                out[-1].lines.append(item)
            else:
                out.append(Block("ul", [item]))
        else:
            out.append(Block("p", [inline(line, known)]))
    return out


__all__ = ["Block", "Segment", "blocks", "inline"]
