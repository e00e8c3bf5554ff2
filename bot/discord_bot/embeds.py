"""Digests as Discord embeds, within Discord's limits.

Discord refuses a message over its limits (description 4096, 25 fields, 6000 characters and 10
embeds per message, title 256): a section is split across embeds at line boundaries, and embeds
are packed into as few messages as those limits allow. Budgets keep a margin because Discord
counts some characters (astral emoji) as two where Python counts one. Text from feeds and LLMs
gets its mentions defused and link text escaped; messages are also sent with no allowed mentions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import discord

from core.digest import Digest, KindDigest, Section, SourceRef
from core.headings import label
from core.items import Kind

MAX_DESCRIPTION = 4000  # Discord: 4096
MAX_MESSAGE_CHARS = 5800  # Discord: 6000 over all embeds of a message
MAX_EMBEDS = 10
MAX_FIELDS = 25
MAX_TITLE = 256
MAX_FOOTER = 2048
MAX_CONTENT = 2000
COLORS: dict[str, int] = {"news": 0x3B82F6, "papers": 0x10B981}
_UNSAFE_LINK_TEXT = re.compile(r"([\\\[\]*_~`|>])")
_MENTION = re.compile(r"@(?=everyone|here|[!&]?\d)", re.IGNORECASE)


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes


@dataclass
class Message:
    """One Discord message: what a command answers or a post sends."""

    content: str = ""
    embeds: list[discord.Embed] = field(default_factory=list)
    files: list[Attachment] = field(default_factory=list)

    def discord_files(self) -> list[discord.File]:
        import io

        return [discord.File(io.BytesIO(a.data), filename=a.filename) for a in self.files]


def safe(text: str) -> str:
    """Untrusted text: no @everyone/@here/user or role mention survives (a zero-width space)."""
    return _MENTION.sub("@\u200b", text)


def link(title: str, url: str) -> str:
    text = safe(_UNSAFE_LINK_TEXT.sub(r"\\\1", " ".join(title.split())))[:200]
    if not url.startswith(("https://", "http://")):
        return text
    return f"[{text}]({url.replace(' ', '%20').replace('(', '%28').replace(')', '%29')})"


def kind_label(lang: str, kind: str) -> str:
    return label(lang, kind) if kind in ("news", "papers") else kind


def section_text(section: Section) -> str:
    lang = section.lang
    out: list[str] = []
    if section.mode == "offline-fallback":
        out += [f"> {safe(label(lang, 'fallback'))}", ""]
    for part in section.parts:
        text = safe(part.text.strip())
        sep = "\n" if "\n" in text or text.startswith("- ") else " "
        out += [f"**{part.heading}**:{sep}{text}", ""]
    out.append(f"**{label(lang, 'sources')}**")
    out += [_source_line(ref) for ref in section.sources]
    return "\n".join(out)


def _source_line(ref: SourceRef) -> str:
    extra = [safe(ref.source)]
    if ref.upvotes:
        extra.append(f"▲{ref.upvotes}")
    if ref.points:
        extra.append(f"{ref.points} points")
    return f"{ref.n}. {link(ref.title, ref.url)} — {' · '.join(extra)}"


def section_embeds(section: Section) -> list[discord.Embed]:
    """A section as one embed, or several when its text is longer than a description."""
    lang, color = section.lang, COLORS.get(section.kind, 0x888888)
    chunks = split_text(section_text(section), MAX_DESCRIPTION)
    title = f"{safe(section.name)} · {kind_label(lang, section.kind)} · {section.date}"
    embeds = [discord.Embed(description=c, color=color) for c in chunks]
    embeds[0].title = title[:MAX_TITLE]
    footer = label(lang, "more", n=len(section.sources), total=section.total)
    if section.total > len(section.sources):
        embeds[-1].set_footer(text=footer[:MAX_FOOTER])
    return embeds


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


def overview_embeds(
    digest: Digest, kinds: Sequence[Kind], charts: Mapping[str, bytes]
) -> tuple[list[discord.Embed], list[Attachment]]:
    """One embed per kind: its counts, notes and its chart (attached, shown via attachment://)."""
    lang = digest.lang
    embeds: list[discord.Embed] = []
    files: list[Attachment] = []
    for kind in kinds:
        kd = digest.kinds.get(kind)
        if kd is None:
            continue
        e = discord.Embed(
            title=f"{kind_label(lang, kind)} · {digest.date}",
            description=_counts_text(lang, kd),
            color=COLORS.get(kind, 0x888888),
        )
        png = charts.get(kind)
        if png:
            name = f"{kind}-{digest.date}.png"
            files.append(Attachment(name, png))
            e.set_image(url=f"attachment://{name}")
        embeds.append(e)
    return embeds, files


def _counts_text(lang: str, kd: KindDigest) -> str:
    unit = label(lang, "items")
    lines = [f"**{kd.total}** {unit}"]
    if kd.note:
        lines.append(f"> {safe(kd.note)}")
    if kd.total == 0:
        lines.append(label(lang, "nothing"))
    for cat in kd.sections:
        lines.append(f"- {safe(kd.names.get(cat, cat))}: {kd.counts.get(cat, 0)}")
    others = kd.counts.get("others", 0)
    if others:
        lines.append(f"_{label(lang, 'others', n=others)}_")
    return "\n".join(split_text("\n".join(lines), MAX_DESCRIPTION)[:1])


def header_content(digest: Digest) -> str:
    return f"**{label(digest.lang, 'title')} — {digest.date}**"


def text_embed(text: str, *, title: str = "", color: int = 0x64748B) -> list[discord.Embed]:
    """Plain text (help, lists, errors) as embeds, split when long."""
    chunks = split_text(safe(text), MAX_DESCRIPTION)
    embeds = [discord.Embed(description=c, color=color) for c in chunks]
    if title:
        embeds[0].title = title[:MAX_TITLE]
    return embeds


def within_limits(embeds: Sequence[discord.Embed], content: str = "") -> bool:
    """Whether one message with these embeds is within Discord's limits (for tests/assertions)."""
    return (
        len(content) <= MAX_CONTENT
        and len(embeds) <= MAX_EMBEDS
        and sum(len(e) for e in embeds) <= 6000
        and all(len(e.description or "") <= 4096 and len(e.fields) <= MAX_FIELDS for e in embeds)
        and all(len(e.title or "") <= MAX_TITLE for e in embeds)
    )
