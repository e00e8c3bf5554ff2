"""A day at a glance, compact and navigable: counts, a chart, the categories with their top
titles and a button each (`kind_overview`), or every kind's categories as buttons
(`day_overview`), and the buttons under a section (`section_nav`).

The chart is the distribution chart's image when the web archive serves it (DIGEST_PUBLIC_URL),
and always a text chart (bars drawn with block characters) that reads in any client. An overview
is one message: titles are dropped (3, then 2, 1, none per category) until it fits.
"""

from __future__ import annotations

from bot.slack_bot.actions import ALL, DAY, OPEN, OVERVIEW, Target, suffixed
from bot.slack_bot.blocks import context, header, section
from bot.slack_bot.limits import MAX_BLOCKS, MAX_MESSAGE_TEXT, MAX_TEXT, Block, pages, text_size
from bot.slack_bot.mrkdwn import clip, esc, link, safe_url
from bot.slack_bot.web_links import WebLinks
from core.digest import Digest, KindDigest, Section
from core.headings import label

BAR_WIDTH = 16
MAX_BUTTONS = 25  # elements of one actions block
TITLES = 3
MAX_COUNTS = 1500  # characters of a kind's per-category counts in the daily post's header
CUT = "More categories than fit in one message: ask for one, e.g. `/aidigest papers llm`."


def bars(kd: KindDigest, width: int = BAR_WIDTH) -> str:
    """The category distribution as text: one line per category, most items first."""
    counts = sorted(((n, c) for c, n in kd.counts.items() if n > 0), reverse=True)
    if not counts:
        return ""
    top = counts[0][0]
    names = {c: _short(kd.names.get(c, c), 24) for _, c in counts}
    pad = max(len(v) for v in names.values())
    rows = []
    for n, c in counts:
        eighths = round(n / top * width * 8)
        bar = "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]
        rows.append(f"{esc(names[c].ljust(pad))} {bar} {n}")  # padded as shown, then escaped
    return "```" + "\n".join(rows) + "```"


def counts_line(kd: KindDigest, limit: int = MAX_COUNTS) -> str:
    """Each category with items and its count, most first (`LLM 12 · Computer Vision 8`), as
    escaped mrkdwn of at most `limit` characters, cut only between categories."""
    counts = sorted(((n, c) for c, n in kd.counts.items() if n > 0), key=lambda x: (-x[0], x[1]))
    out = ""
    for i, (n, c) in enumerate(counts):
        piece = f"{esc(_short(kd.names.get(c, c), 60))} {n}"
        joined = f"{out} · {piece}" if out else piece
        if len(joined) > limit - (len(" · …") if i < len(counts) - 1 else 0):
            return f"{out} · …" if out else "…"
        out = joined
    return out


def note(text: str) -> str:
    """A day's note (untrusted for all we know) as a context line: escaped, then cut so that no
    entity is split (`&amp;` cut to `&am` would show as text)."""
    return clip(esc(text), MAX_TEXT)


def _short(text: str, limit: int) -> str:
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1] + "…"


def chart(digest: Digest, kd: KindDigest, links: WebLinks) -> Block | None:
    """The kind's distribution chart: the web archive's image when there is one, else bars."""
    if url := links.chart(digest.date, kd.kind):
        name = label(digest.lang, kd.kind)
        return image(url, f"{name} · {label(digest.lang, 'chart')} · {digest.date}")
    return section(text) if (text := bars(kd)) else None


def button(text: str, action_id: str, value: str, *, primary: bool = False) -> Block:
    b: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": text[:75], "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    return b | {"style": "primary"} if primary else b


def image(url: str, alt: str) -> Block:
    return {"type": "image", "image_url": url, "alt_text": alt[:2000]}


def kind_overview(
    digest: Digest, kind: str, sections: list[Section], links: WebLinks
) -> list[Block]:
    """`/aidigest papers`: the kind's counts and chart, then each category with a section: its
    count, its top titles and a button that opens it. One message."""
    kd = digest.kinds[kind]
    for titles in range(TITLES, -1, -1):
        blocks = _kind_blocks(digest, kd, sections, titles, links)
        if len(blocks) <= MAX_BLOCKS and text_size(blocks) <= MAX_MESSAGE_TEXT:
            return blocks
    # only with a taxonomy of some 45 categories or more: the first page, and a note saying so
    first = pages(blocks, MAX_BLOCKS, MAX_MESSAGE_TEXT - len(CUT))[0]
    return [*first[:-1], context(CUT)]


def _kind_blocks(
    digest: Digest,
    kd: KindDigest,
    sections: list[Section],
    titles: int,
    links: WebLinks,
) -> list[Block]:
    lang, name = digest.lang, label(digest.lang, kd.kind)
    blocks = [header(f"{name} · {digest.date}")]
    line = f"*{kd.total}* {esc(label(lang, 'items'))} · {len(kd.sections)} sections"
    if u := safe_url(links.day(digest.date, lang)):
        line += f" · <{u}|Full digest>"
    blocks.append(context(line))
    if kd.note:
        blocks.append(context(note(kd.note)))
    if drawn := chart(digest, kd, links):
        blocks.append(drawn)
    by_id = {s.category: s for s in sections if s.kind == kd.kind}
    for cat in dict.fromkeys(kd.sections):
        s = by_id.get(cat)
        text = f"*{esc(kd.names.get(cat, cat))}* — {kd.counts.get(cat, 0)}"
        for ref in (s.sources if s else [])[:titles]:
            text += f"\n• {link(ref.url, ref.title[:90])}"
        target = Target(kd.kind, cat, digest.date, lang)
        open_it = button("Open", suffixed(OPEN, cat), target.value())
        blocks.append(section(text) | {"accessory": open_it})
    return blocks


def day_overview(digest: Digest, links: WebLinks) -> list[Block]:
    """`/aidigest`: every kind's count, text chart and categories as buttons. One message."""
    lang = digest.lang
    blocks = [header(f"{label(lang, 'title')} — {digest.date}")]
    if u := safe_url(links.day(digest.date, lang)):
        blocks.append(context(f"<{u}|Full digest · {digest.date}>"))
    for kind, kd in digest.kinds.items():
        name = esc(label(lang, kind))
        blocks.append(section(f"*{name}* — {kd.total} {esc(label(lang, 'items'))}"))
        if drawn := chart(digest, kd, links):
            blocks.append(drawn)
        if kd.note:
            blocks.append(context(note(kd.note)))
        cats = list(dict.fromkeys(kd.sections))
        overview = Target(kind, ALL, digest.date, lang)
        row = [button(f"All {label(lang, kind)}", OVERVIEW, overview.value(), primary=True)]
        for cat in cats:
            target = Target(kind, cat, digest.date, lang)
            text = f"{kd.names.get(cat, cat)} ({kd.counts.get(cat, 0)})"
            row.append(button(text, suffixed(OPEN, cat), target.value()))
        for i in range(0, len(row), MAX_BUTTONS):
            block_id = f"{kind}-{i // MAX_BUTTONS}"
            blocks.append({"type": "actions", "block_id": block_id,
                           "elements": row[i : i + MAX_BUTTONS]})  # fmt: skip
    return blocks


def post_header(digest: Digest, links: WebLinks, *, uploads: bool) -> list[Block]:
    """The daily post's first message: the date, a link to the full digest on the web, each
    kind's count and chart (the web archive's image, else bars), the day's notes. With `uploads`
    the charts are the PNGs of the file share this message rides on: no chart blocks here.
    Unless the chart is drawn as text bars (which show them), each kind's per-category counts
    are written out as text too: an image says nothing to a screen reader or a notification."""
    lang = digest.lang
    title = f"*{esc(label(lang, 'title'))} — {digest.date}*"
    if u := safe_url(links.day(digest.date, lang)):
        title += f"  <{u}|Full digest>"
    blocks = [section(title)]
    for kind, kd in digest.kinds.items():
        name = esc(label(lang, kind))
        line = f"*{name}* — {kd.total} {esc(label(lang, 'items'))}"
        drawn = None if uploads else chart(digest, kd, links)
        if (drawn is None or drawn["type"] == "image") and (counts := counts_line(kd)):
            line += "\n" + counts
        blocks.append(section(line))
        if drawn is not None:
            blocks.append(drawn)
    notes = [kd.note for kd in digest.kinds.values() if kd.note]
    if notes:
        blocks.append(context(note(" ".join(notes))))
    return blocks


def section_nav(target: Target, before: str | None, after: str | None) -> Block:
    """Under a section: the day before and after (ready days), and the kind's overview."""
    row = []
    if before:
        row.append(button(f"◀ {before}", suffixed(DAY, "before"), target.on(before).value()))
    overview = Target(target.kind, ALL, target.day, target.lang)
    row.append(button(f"All {label(target.lang, target.kind)}", OVERVIEW, overview.value()))
    if after:
        row.append(button(f"{after} ▶", suffixed(DAY, "after"), target.on(after).value()))
    return {"type": "actions", "block_id": f"nav-{target.kind}", "elements": row}
