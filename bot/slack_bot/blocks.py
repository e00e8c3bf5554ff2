"""Block Kit for replies and daily posts, within Slack's limits (bot/slack_bot/limits.py), with
untrusted text escaped and linked by bot/slack_bot/mrkdwn.py: a section's text is split into
pieces that never cut a link, and `pages` splits blocks into messages by count and characters.
"""

from __future__ import annotations

import re

from bot.slack_bot.limits import MAX_BLOCKS, MAX_HEADER, MAX_TEXT, Block, pages
from bot.slack_bot.mrkdwn import chunks, esc, esc_lines, link, safe_url
from core.digest import Section
from core.headings import label

__all__ = ["MAX_BLOCKS", "Block", "chunks", "esc", "link", "pages", "safe_url"]
_CITE = re.compile(r"\[(\d{1,3})\]")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def header(text: str) -> Block:
    cut = text if len(text) <= MAX_HEADER else text[: MAX_HEADER - 1] + "…"
    return {"type": "header", "text": {"type": "plain_text", "text": cut, "emoji": False}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def mrkdwn(text: str, urls: dict[int, str | None]) -> str:
    """Summary text as Slack mrkdwn: escaped, **bold** → *bold*, [n] linked to `urls[n]`."""
    body = _BOLD.sub(r"*\1*", esc_lines(text))

    def cite(m: re.Match[str]) -> str:
        u = urls.get(int(m.group(1)))
        return f"<{u}|[{m.group(1)}]>" if u else m.group(0)

    return _CITE.sub(cite, body)


def section_blocks(s: Section, web: str = "") -> list[Block]:
    """One category section: title, the summary parts with citations, the sources as links,
    and its page on the web archive (`web`, when there is one)."""
    blocks = [header(f"{s.name} · {label(s.lang, s.kind)} · {s.date}")]
    if s.mode == "offline-fallback":
        blocks.append(context(esc(f"{label(s.lang, 'fallback')}: {s.note}")))
    urls = {ref.n: safe_url(ref.url) for ref in s.sources}
    for part in s.parts:
        text = f"*{esc(part.heading)}*\n{mrkdwn(part.text.strip(), urls)}"
        blocks += [section(c) for c in chunks(text, MAX_TEXT)]
    lines = [f"*{esc(label(s.lang, 'sources'))}*"]
    for ref in s.sources:
        extra = [f"▲{ref.upvotes}"] * bool(ref.upvotes) + [f"{ref.points} points"] * bool(
            ref.points
        )
        tail = esc(" · ".join([ref.source, *extra]))
        lines.append(f"{ref.n}. {link(ref.url, ref.title)} — {tail}")
    blocks += [section(c) for c in chunks("\n".join(lines), MAX_TEXT)]
    notes = []
    if s.total > len(s.sources):
        notes.append(esc(label(s.lang, "more", n=len(s.sources), total=s.total)))
    if u := safe_url(web):
        notes.append(f"<{u}|{esc(label(s.lang, 'title'))} · {esc(s.name)} · {s.date}>")
    if notes:
        blocks.append(context(" · ".join(notes)))
    return blocks


def text_blocks(text: str, pre: bool = False) -> list[Block]:
    """Our own plain text (help, confirmations, search hits): escaped too, as it can echo what
    was typed, line by line (its lines are a list: help's commands, one hit per line)."""
    body = esc_lines(text)
    if pre:
        return [section(f"```{c}```") for c in chunks(body, MAX_TEXT - 6)]
    return [section(c) for c in chunks(body, MAX_TEXT)]


def fallback_text(blocks: list[Block], limit: int = 3000) -> str:
    """The notification text of a message with blocks (already escaped, like the blocks)."""
    for b in blocks:
        t = b.get("text", {}).get("text")
        if isinstance(t, str) and t:
            return t[:limit]
    return "aidigest"
