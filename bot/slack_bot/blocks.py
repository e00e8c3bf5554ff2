"""Block Kit for replies and daily posts, within Slack's limits, with untrusted text escaped.

Feed and LLM text is escaped (`&`, `<`, `>`), so it can neither mention (`<!channel>`, `<@U…>`)
nor forge a link (`<http://evil|here>`); the only links are the ones built here, from http(s)
URLs with the characters that would end a link percent-encoded. Limits (docs.slack.dev): at most
50 blocks a message, 3000 characters a section, 150 a header; longer text is split at line ends
and more blocks go to more messages (`pages`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from core.digest import Digest, Section
from core.headings import label

Block = dict[str, Any]
MAX_BLOCKS = 50
MAX_TEXT = 3000
MAX_HEADER = 150
_CITE = re.compile(r"\[(\d{1,3})\]")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def esc(text: str) -> str:
    """Slack's three control characters, so text shows as typed and does nothing."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe_url(url: str) -> str | None:
    """An http(s) URL that cannot break out of `<url|label>`; None for anything else."""
    url = url.strip()
    if not re.match(r"https?://[^\s/]", url, re.IGNORECASE):
        return None
    url = re.sub(r"\s", "%20", url)
    for ch, code in (("|", "%7C"), ("<", "%3C"), (">", "%3E")):
        url = url.replace(ch, code)
    return url.replace("&", "&amp;")  # Slack reads &amp; back as & inside a link


def link(url: str, text: str) -> str:
    u = safe_url(url)
    return f"<{u}|{esc(text)}>" if u else esc(text)


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def header(text: str) -> Block:
    cut = text if len(text) <= MAX_HEADER else text[: MAX_HEADER - 1] + "…"
    return {"type": "header", "text": {"type": "plain_text", "text": cut, "emoji": False}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def chunks(text: str, limit: int = MAX_TEXT) -> list[str]:
    """`text` in pieces of at most `limit` characters, split at line ends where possible."""
    out: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:  # one very long line: split it at a space, else hard
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            out, current = _flush(out, current), ""
            out.append(line[:cut])
            line = line[cut:].lstrip()
        joined = f"{current}\n{line}" if current else line
        if len(joined) > limit:
            out, current = _flush(out, current), line
        else:
            current = joined
    return [c for c in _flush(out, current) if c.strip()]


def _flush(out: list[str], current: str) -> list[str]:
    return [*out, current] if current.strip() else out


def mrkdwn(text: str, urls: dict[int, str | None]) -> str:
    """Summary text as Slack mrkdwn: escaped, **bold** → *bold*, [n] linked to `urls[n]`."""
    body = _BOLD.sub(r"*\1*", esc(text))

    def cite(m: re.Match[str]) -> str:
        u = urls.get(int(m.group(1)))
        return f"<{u}|[{m.group(1)}]>" if u else m.group(0)

    return _CITE.sub(cite, body)


def section_blocks(s: Section) -> list[Block]:
    """One category section: title, the summary parts with citations, the sources as links."""
    blocks = [header(f"{s.name} · {label(s.lang, s.kind)} · {s.date}")]
    if s.mode == "offline-fallback":
        blocks.append(context(esc(f"{label(s.lang, 'fallback')}: {s.note}")))
    urls = {ref.n: safe_url(ref.url) for ref in s.sources}
    for part in s.parts:
        text = f"*{esc(part.heading)}*\n{mrkdwn(part.text.strip(), urls)}"
        blocks += [section(c) for c in chunks(text)]
    lines = [f"*{esc(label(s.lang, 'sources'))}*"]
    for ref in s.sources:
        extra = [f"▲{ref.upvotes}"] * bool(ref.upvotes) + [f"{ref.points} points"] * bool(
            ref.points
        )
        tail = esc(" · ".join([ref.source, *extra]))
        lines.append(f"{ref.n}. {link(ref.url, ref.title)} — {tail}")
    blocks += [section(c) for c in chunks("\n".join(lines))]
    if s.total > len(s.sources):
        blocks.append(context(esc(label(s.lang, "more", n=len(s.sources), total=s.total))))
    return blocks


def counts_line(digest: Digest) -> str:
    unit = label(digest.lang, "items")
    return " · ".join(
        f"*{esc(label(digest.lang, k))}* {kd.total} {esc(unit)}" for k, kd in digest.kinds.items()
    )


def header_blocks(digest: Digest) -> list[Block]:
    """The daily post's first message: date, counts per kind, notes (the charts ride along).
    Section and context blocks only: a file share's message takes no other kinds for sure."""
    title = f"*{esc(label(digest.lang, 'title'))} — {digest.date}*"
    return [section(f"{title}\n{counts_line(digest)}"), *notes_blocks(digest)]


def notes_blocks(digest: Digest) -> list[Block]:
    """Notes of the day (failed sources, arXiv's weekend), when there are any."""
    notes = [esc(kd.note) for kd in digest.kinds.values() if kd.note]
    return [context(" ".join(notes)[:MAX_TEXT])] if notes else []


def overview_blocks(digest: Digest) -> list[Block]:
    """A day at a glance, for `/aidigest` with no section asked for."""
    blocks = [header(f"{label(digest.lang, 'title')} — {digest.date}")]
    blocks += [section(counts_line(digest)), *notes_blocks(digest)]
    for kind, kd in digest.kinds.items():
        ids = dict.fromkeys(kd.sections)
        names = [f"{esc(kd.names.get(c, c))} ({kd.counts.get(c, 0)})" for c in ids]
        text = f"*{esc(label(digest.lang, kind))}*: " + (", ".join(names) or "—")
        blocks += [section(c) for c in chunks(text)]
    for k, kd in digest.kinds.items():
        if kd.sections:
            name = esc(kd.names.get(kd.sections[0], kd.sections[0]))
            blocks.append(context(f"Try: `/aidigest {k} {name} {digest.date}`"))
            break
    return blocks


def text_blocks(text: str, pre: bool = False) -> list[Block]:
    """Our own plain text (help, confirmations): escaped too, as it can echo what was typed."""
    body = esc(text)
    if pre:
        return [section(f"```{c}```") for c in chunks(body, MAX_TEXT - 6)]
    return [section(c) for c in chunks(body)]


def pages(blocks: Iterable[Block], limit: int = MAX_BLOCKS) -> list[list[Block]]:
    """Blocks in messages of at most `limit`."""
    items = list(blocks)
    return [items[i : i + limit] for i in range(0, len(items), limit)] or [[]]


def fallback_text(blocks: list[Block], limit: int = 3000) -> str:
    """The notification text of a message with blocks (already escaped, like the blocks)."""
    for b in blocks:
        t = b.get("text", {}).get("text")
        if isinstance(t, str) and t:
            return t[:limit]
    return "aidigest"
