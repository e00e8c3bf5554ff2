"""Open Graph words: what a page's link unfurls to when pasted in Slack or Discord. Plain text
on one line (the unfurl shows no markdown and folds nothing), clipped to what it shows; the
templates escape it, as every other string."""

from __future__ import annotations

from web.text import Block

DESCRIPTION = 280  # characters: Slack shows about this much of og:description


def words(blocks: list[Block]) -> str:
    """The words of a parsed part, its citations left out ([3] means nothing in an unfurl),
    with the space before each: "‘agents’ [2][3], and" reads "‘agents’, and"."""
    lines = []
    for b in blocks:
        for line in b.lines:
            out = ""
            for g in line:
                out = out.rstrip() if g.kind == "cite" else out + g.text
            lines.append(out)
    return " ".join(lines)


def clip(s: str, n: int = DESCRIPTION) -> str:
    """`s` on one line, cut at `n` characters with an ellipsis."""
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


__all__ = ["DESCRIPTION", "clip", "words"]
