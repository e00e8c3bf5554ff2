"""Discord's message limits, and text and embeds cut to fit them.

Discord refuses a message over its limits (content 2000, description 4096, 25 fields, 6000
characters and 10 embeds per message, title 256): long text is split at line boundaries, and
embeds are packed into as few messages as those limits allow. Budgets keep a margin because
Discord counts some characters (astral emoji) as two where Python counts one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import discord

MAX_DESCRIPTION = 4000  # Discord: 4096
MAX_MESSAGE_CHARS = 5800  # Discord: 6000 over all embeds of a message
MAX_EMBEDS = 10
MAX_FIELDS = 25
MAX_TITLE = 256
MAX_FOOTER = 2048
MAX_CONTENT = 2000


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at line ends (inside a line only if must)."""
    pieces: list[str] = []
    cur = ""
    for line in text.split("\n"):
        while len(line) > limit:  # one line longer than a whole piece
            if cur:
                pieces.append(cur)
                cur = ""
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            pieces.append(line[:cut])
            line = line[cut:].lstrip()
        joined = f"{cur}\n{line}" if cur else line
        if len(joined) > limit:
            pieces.append(cur)
            cur = line
        else:
            cur = joined
    if cur.strip():
        pieces.append(cur)
    return [p.strip("\n") for p in pieces if p.strip()] or [""]


def pack(embeds: Iterable[discord.Embed]) -> list[list[discord.Embed]]:
    """Embeds in order, grouped into messages of at most 10 embeds and 5800 characters."""
    messages: list[list[discord.Embed]] = []
    size = 0
    for e in embeds:
        n = len(e)
        if not messages or len(messages[-1]) >= MAX_EMBEDS or size + n > MAX_MESSAGE_CHARS:
            messages.append([])
            size = 0
        messages[-1].append(e)
        size += n
    return messages


def within_limits(embeds: Sequence[discord.Embed], content: str = "") -> bool:
    """Whether one message with these embeds is within Discord's limits (for tests/assertions)."""
    return (
        len(content) <= MAX_CONTENT
        and len(embeds) <= MAX_EMBEDS
        and sum(len(e) for e in embeds) <= 6000
        and all(len(e.description or "") <= 4096 and len(e.fields) <= MAX_FIELDS for e in embeds)
        and all(len(e.title or "") <= MAX_TITLE for e in embeds)
    )
