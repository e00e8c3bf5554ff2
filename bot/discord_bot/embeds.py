"""Digests as Discord embeds, within Discord's limits (limits.py): a section is split across
embeds at line boundaries; a kind's overview is its counts, its categories with their top
titles, and its chart. With DIGEST_PUBLIC_URL set, a section's and a day's titles link to their
pages in the web archive (core/permalink.py).

Every piece of text from a feed or a model (titles, source names, summaries, headings, and a kind's
note, which quotes a failing source's error and so a server's own words) goes through
core.escape.discord, once, where it enters the markup: no masked link, heading, image or mention
survives. A summary part is our own small markup around untrusted words (bullets, **bold**
titles, `code` keywords: see core/extractive.py); it is escaped whole, then that vocabulary alone
is switched back on, as the Slack renderer does. Messages are also sent with no allowed mentions.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import discord

from bot.discord_bot.limits import MAX_DESCRIPTION, MAX_FOOTER, MAX_TITLE, pack, split_text
from core import escape, permalink
from core.digest import Digest, KindDigest, Section, SourceRef
from core.headings import label
from core.items import Kind

COLORS: dict[str, int] = {"news": 0x3B82F6, "papers": 0x10B981}
MAX_LINK_TEXT = 200
_BOLD = re.compile(r"\\\*\\\*(.+?)\\\*\\\*")  # escaped **…**
_CODE = re.compile(r"\\`([^`\n]+?)\\`")  # escaped `…`
_CITE = re.compile(r"\\\[(\d{1,3})\\\]")  # an escaped citation mark [n]
_ESCAPED = re.compile(r"\\(.)")


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
    view: discord.ui.View | None = None  # buttons and select menus (components.Layout)

    def discord_files(self) -> list[discord.File]:
        """Fresh files each time: discord.py consumes them when it sends."""
        return [discord.File(io.BytesIO(a.data), filename=a.filename) for a in self.files]


@dataclass(frozen=True)
class Links:
    """Links to the web archive's pages; with no base (DIGEST_PUBLIC_URL unset) there are none."""

    base: str = ""
    default_lang: str = ""

    def section(self, s: Section) -> str | None:
        url = permalink.section_url(self.base, s.date, s.kind, s.category, s.lang,
                                    self.default_lang)  # fmt: skip
        return url or None

    def day(self, date: str, lang: str) -> str | None:
        return permalink.day_url(self.base, date, lang, self.default_lang) or None


NO_LINKS = Links()


def untrusted(text: str) -> str:
    """Text from a feed or a model, shown as typed (core.escape.discord: the one escaper)."""
    return escape.discord(text)


def summary(text: str) -> str:
    """A summary part: escaped, then only our bullets, bold, code spans and [n] citation marks
    made to work again (inside a code span Discord shows text as is, so there it is un-escaped;
    a mark cannot start a masked link: the "(" after it stays escaped). Escaped line by line:
    the escaper makes one line of what it is given, and a list part is one item a line."""
    return "\n".join(_summary_line(line) for line in text.splitlines())


def _summary_line(text: str) -> str:
    """(Each pattern runs only when its mark is there, with a function, not a "\\1" template:
    re.sub expands a template in Python per match, for every line of every uncached answer.)"""
    out = untrusted(text)
    if out.startswith("\\- "):
        out = "- " + out[3:]
    if "\\*\\*" in out:
        out = _BOLD.sub(lambda m: f"**{m.group(1)}**", out)
    if "\\[" in out:
        out = _CITE.sub(lambda m: f"[{m.group(1)}]", out)
    if "\\`" in out:
        out = _CODE.sub(lambda m: "`" + _ESCAPED.sub(_unescaped, m.group(1)) + "`", out)
    return out


def _unescaped(m: re.Match[str]) -> str:
    return m.group(1)


def link(title: str, url: str) -> str:
    """A source: its escaped title, linked to its URL when that is a plain http(s) URL."""
    text = untrusted(escape.one_line(title)[:MAX_LINK_TEXT])
    safe_url = escape.http_url(url)
    if safe_url is None:
        return text
    return f"[{text}]({safe_url.replace('(', '%28').replace(')', '%29')})"


def kind_label(lang: str, kind: str) -> str:
    return label(lang, kind) if kind in ("news", "papers") else kind


def section_text(section: Section) -> str:
    lang = section.lang
    out: list[str] = []
    if section.mode == "offline-fallback":
        out += [f"> {label(lang, 'fallback')}", ""]
    for part in section.parts:
        raw = part.text.strip()
        sep = "\n" if "\n" in raw or raw.startswith("- ") else " "
        out += [f"**{untrusted(escape.one_line(part.heading))}**:{sep}{summary(raw)}", ""]
    out.append(f"**{label(lang, 'sources')}**")
    out += [_source_line(ref) for ref in section.sources]
    return "\n".join(out)


def _source_line(ref: SourceRef) -> str:
    extra = [untrusted(escape.one_line(ref.source))]
    if ref.upvotes:
        extra.append(f"▲{ref.upvotes}")
    if ref.points:
        extra.append(f"{ref.points} points")
    return f"{ref.n}. {link(ref.title, ref.url)} — {' · '.join(extra)}"


def section_embeds(section: Section, links: Links = NO_LINKS) -> list[discord.Embed]:
    """A section as one embed, or several when its text is longer than a description; its
    title links to the section's page when the archive is public."""
    lang, color = section.lang, COLORS.get(section.kind, 0x888888)
    chunks = split_text(section_text(section), MAX_DESCRIPTION)
    title = f"{section.name} · {kind_label(lang, section.kind)} · {section.date}"
    embeds = [discord.Embed(description=c, color=color) for c in chunks]
    embeds[0].title = title[:MAX_TITLE]
    embeds[0].url = links.section(section)
    footer = label(lang, "more", n=len(section.sources), total=section.total)
    if section.total > len(section.sources):
        embeds[-1].set_footer(text=footer[:MAX_FOOTER])
    return embeds


def packed_sections(
    sections: Sequence[Section], links: Links = NO_LINKS
) -> list[list[discord.Embed]]:
    """The sections' embeds in order, in as few messages as Discord's limits allow: a category's
    answer and the daily post's thread look alike."""
    return pack(e for s in sections for e in section_embeds(s, links))


def overview_embeds(
    digest: Digest,
    kinds: Sequence[Kind],
    charts: Mapping[str, bytes],
    links: Links = NO_LINKS,
    sections: Sequence[Section] = (),
) -> tuple[list[discord.Embed], list[Attachment]]:
    """One embed per kind: its counts, notes, categories (with their top title when `sections`
    has them) and its chart (attached, shown via attachment://)."""
    lang = digest.lang
    tops = {(s.kind, s.category): s.sources[0] for s in sections if s.sources}
    embeds: list[discord.Embed] = []
    files: list[Attachment] = []
    for kind in kinds:
        kd = digest.kinds.get(kind)
        if kd is None:
            continue
        e = discord.Embed(
            title=f"{kind_label(lang, kind)} · {digest.date}",
            description=_counts_text(lang, kd, {c: r for (k, c), r in tops.items() if k == kind}),
            color=COLORS.get(kind, 0x888888),
            url=links.day(digest.date, lang),
        )
        png = charts.get(kind)
        if png:
            name = f"{kind}-{digest.date}.png"
            files.append(Attachment(name, png))
            e.set_image(url=f"attachment://{name}")
        embeds.append(e)
    return embeds, files


def _counts_text(lang: str, kd: KindDigest, tops: Mapping[str, SourceRef]) -> str:
    unit = label(lang, "items")
    lines = [f"**{kd.total}** {unit}"]
    if kd.note:
        lines.append(f"> {untrusted(kd.note)}")  # holds a failing source's error: a server's words
    if kd.total == 0:
        lines.append(label(lang, "nothing"))
    for cat in kd.sections:
        top = tops.get(cat)
        line = f"- **{kd.names.get(cat, cat)}** ({kd.counts.get(cat, 0)})"
        lines.append(f"{line}: {link(top.title, top.url)}" if top else line)
    others = kd.counts.get("others", 0)
    if others:
        lines.append(f"_{label(lang, 'others', n=others)}_")
    return "\n".join(split_text("\n".join(lines), MAX_DESCRIPTION)[:1])


def header_content(digest: Digest) -> str:
    return f"**{label(digest.lang, 'title')} — {digest.date}**"


def text_embed(text: str, *, title: str = "", color: int = 0x64748B) -> list[discord.Embed]:
    """Our own text (help, lists, errors) as embeds, split when long."""
    chunks = split_text(text, MAX_DESCRIPTION)
    embeds = [discord.Embed(description=c, color=color) for c in chunks]
    if title:
        embeds[0].title = title[:MAX_TITLE]
    return embeds
