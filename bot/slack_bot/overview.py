"""A day at a glance, compact and navigable: counts, a chart, the categories with their top
titles and a button each (`kind_overview`), or every kind's categories as buttons
(`day_overview`), and the buttons under a section (`section_nav`).

The chart is the distribution chart's image when the web archive serves it (DIGEST_PUBLIC_URL),
and always a text chart (bars drawn with block characters) that reads in any client. An overview
is one message: titles are dropped (3, then 2, 1, none per category) until it fits.
"""

from __future__ import annotations

from bot.slack_bot.actions import ALL, DAY, OPEN, OVERVIEW, WEB, Target
from bot.slack_bot.blocks import context, header, section
from bot.slack_bot.limits import MAX_BLOCKS, MAX_MESSAGE_TEXT, Block, text_size
from bot.slack_bot.mrkdwn import esc, link, safe_url
from bot.slack_bot.mrkdwn import label as one_line
from core.digest import Digest, KindDigest, Section
from core.headings import label

BAR_WIDTH = 16
MAX_BUTTONS = 25  # elements of one actions block
TITLES = 3


def bars(kd: KindDigest, width: int = BAR_WIDTH) -> str:
    """The category distribution as text: one line per category, most items first."""
    counts = sorted(((n, c) for c, n in kd.counts.items() if n > 0), reverse=True)
    if not counts:
        return ""
    top = counts[0][0]
    names = {c: one_line(kd.names.get(c, c), 24) for _, c in counts}
    pad = max(len(v) for v in names.values())
    rows = []
    for n, c in counts:
        eighths = round(n / top * width * 8)
        bar = "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]
        rows.append(f"{names[c].ljust(pad)} {bar} {n}")
    return "```" + "\n".join(rows) + "```"


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
    digest: Digest, kind: str, sections: list[Section], *, chart_url: str = "", web: str = ""
) -> list[Block]:
    """`/aidigest papers`: the kind's counts and chart, then each category with a section: its
    count, its top titles and a button that opens it. One message."""
    kd = digest.kinds[kind]
    for titles in range(TITLES, -1, -1):
        blocks = _kind_blocks(digest, kd, sections, titles, chart_url, web)
        if len(blocks) <= MAX_BLOCKS and text_size(blocks) <= MAX_MESSAGE_TEXT:
            return blocks
    return blocks[:MAX_BLOCKS]  # not reached with a taxonomy under 45 categories


def _kind_blocks(
    digest: Digest,
    kd: KindDigest,
    sections: list[Section],
    titles: int,
    chart_url: str,
    web: str,
) -> list[Block]:
    lang, name = digest.lang, label(digest.lang, kd.kind)
    blocks = [header(f"{name} · {digest.date}")]
    line = f"*{kd.total}* {esc(label(lang, 'items'))} · {len(kd.sections)} sections"
    if web and (u := safe_url(web)):
        line += f" · <{u}|{esc(label(lang, 'title'))}>"
    blocks.append(context(line))
    if kd.note:
        blocks.append(context(esc(kd.note)[:3000]))
    if chart_url:
        blocks.append(image(chart_url, f"{name} · {label(lang, 'chart')} · {digest.date}"))
    if chart := bars(kd):
        blocks.append(section(chart))
    by_id = {s.category: s for s in sections if s.kind == kd.kind}
    for cat in dict.fromkeys(kd.sections):
        s = by_id.get(cat)
        text = f"*{esc(kd.names.get(cat, cat))}* — {kd.counts.get(cat, 0)}"
        for ref in (s.sources if s else [])[:titles]:
            text += f"\n• {link(ref.url, ref.title[:90])}"
        target = Target(kd.kind, cat, digest.date, lang)
        blocks.append(section(text) | {"accessory": button("Open", OPEN, target.value())})
    return blocks


def day_overview(digest: Digest, *, web: str = "") -> list[Block]:
    """`/aidigest`: every kind's count, text chart and categories as buttons. One message."""
    lang = digest.lang
    blocks = [header(f"{label(lang, 'title')} — {digest.date}")]
    if web and (u := safe_url(web)):
        blocks.append(context(f"<{u}|{esc(label(lang, 'title'))} · {digest.date}>"))
    for kind, kd in digest.kinds.items():
        name = esc(label(lang, kind))
        text = f"*{name}* — {kd.total} {esc(label(lang, 'items'))}"
        blocks.append(section(text + (f"\n{chart}" if (chart := bars(kd)) else "")))
        if kd.note:
            blocks.append(context(esc(kd.note)[:3000]))
        cats = list(dict.fromkeys(kd.sections))
        overview = Target(kind, ALL, digest.date, lang)
        row = [button(f"All {label(lang, kind)}", OVERVIEW, overview.value(), primary=True)]
        for cat in cats:
            target = Target(kind, cat, digest.date, lang)
            row.append(button(f"{kd.names.get(cat, cat)} ({kd.counts.get(cat, 0)})", OPEN,
                              target.value()))  # fmt: skip
        for i in range(0, len(row), MAX_BUTTONS):
            block_id = f"{kind}-{i // MAX_BUTTONS}"
            blocks.append({"type": "actions", "block_id": block_id,
                           "elements": row[i : i + MAX_BUTTONS]})  # fmt: skip
    return blocks


def section_nav(target: Target, before: str | None, after: str | None, web: str = "") -> Block:
    """Under a section: the day before and after (ready days), and the kind's overview."""
    row = []
    if before:
        row.append(button(f"◀ {before}", DAY, target.on(before).value()))
    overview = Target(target.kind, ALL, target.day, target.lang)
    row.append(button(f"All {label(target.lang, target.kind)}", OVERVIEW, overview.value()))
    if after:
        row.append(button(f"{after} ▶", DAY, target.on(after).value()))
    if web and safe_url(web):
        row.append(
            {
                "type": "button",
                "text": {"type": "plain_text", "text": "Read on the web"},
                "action_id": WEB,
                "url": web,
            }
        )
    return {"type": "actions", "block_id": "nav", "elements": row}
