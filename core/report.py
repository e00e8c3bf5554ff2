"""The day's report as Markdown, in the seed's shape: News then Papers, a chart per kind, one
section per category with a summary (요약) citing its numbered sources (출처).

Every piece of text that came from a feed or a model (titles, summary parts, notes, source
errors) goes through escape.markdown, once, here: only our own structure is markup.
"""

from __future__ import annotations

import re

from core import counting, escape, fallbacks
from core.digest import Digest, Section
from core.headings import label

_CITATION = re.compile(r"\\\[(\d{1,3})\\\]")  # an escaped [n]


def render_section(section: Section, heading_level: int = 3) -> str:
    lang = section.lang
    out = [f"{'#' * heading_level} {section.name}", ""]
    if section.mode == "offline-fallback":
        out += [f"> {fallbacks.section_line(section)}: {escape.markdown(section.note)}", ""]
    out += [f"**{label(lang, 'summary')}:**", ""]
    for n, part in enumerate(section.parts, start=1):
        text = part.text.strip()
        heading = escape.markdown(part.heading)
        if "\n" in text or text.startswith("- "):
            body = "\n".join("   " + _line(line) for line in text.splitlines() if line.strip())
            out += [f"{n}. **{heading}**:", body, ""]
        else:
            out += [f"{n}. **{heading}**: {_text(text)}", ""]
    out += [f"**{label(lang, 'sources')}:**", ""]
    for ref in section.sources:
        extra = []
        if ref.upvotes:
            extra.append(f"▲{ref.upvotes}")
        if ref.points:
            extra.append(f"{ref.points} points")
        tail = f" · {' · '.join(extra)}" if extra else ""
        out.append(
            f"{ref.n}. {_source_link(ref.title, ref.url)} — {escape.markdown(ref.source)}{tail}"
        )
    if section.total > len(section.sources):
        out += ["", f"_{label(lang, 'more', n=len(section.sources), total=section.total)}_"]
    out.append("")
    return "\n".join(out)


def render(digest: Digest, charts: dict[str, str]) -> str:
    """`charts` maps "news", "papers", "news-trend", "papers-trend" to relative image paths."""
    lang = digest.lang
    counts = " · ".join(
        f"{label(lang, k)} {counting.items(digest.kinds[k].total, lang)}"
        for k in ("news", "papers")
        if k in digest.kinds
    )
    summaries = fallbacks.header_line(digest, model=escape.markdown(digest.build.llm))
    out = [f"# {label(lang, 'title')} — {digest.date}", "", f"> {counts}  ", f"> {summaries}", ""]
    for kind in ("news", "papers"):
        kd = digest.kinds.get(kind)
        if kd is None:
            continue
        out += [f"## {label(lang, kind)}", ""]
        if kind in charts:
            out += [f"![{label(lang, kind)} — {label(lang, 'chart')}]({charts[kind]})", ""]
        if f"{kind}-trend" in charts:
            out += [
                f"![{label(lang, kind)} — {label(lang, 'trend')}]({charts[kind + '-trend']})",
                "",
            ]
        if kd.note:
            out += [f"> {escape.markdown(kd.note)}", ""]
        if kd.total == 0:
            out += [f"_{label(lang, 'nothing')}_", ""]
        for cat in kd.sections:
            section = digest.section(kind, cat)
            if section is not None:
                out.append(render_section(section))
        others = kd.counts.get("others", 0)
        if others:
            out += [f"_{label(lang, 'others', n=others)}_", ""]
        if kd.featured:
            out += [f"**{label(lang, 'featured')}:**", ""]
            for ref in kd.featured:
                votes = f" · ▲{ref.upvotes}" if ref.upvotes else ""
                source = escape.markdown(ref.source)
                out.append(f"- {_source_link(ref.title, ref.url)} — {source}{votes}")
            out.append("")
    out += _build_footer(digest)
    return "\n".join(out).rstrip() + "\n"


SKIPPED_TITLES = 10  # titles named on the "skipped as not about AI" line
OTHERS_LINKS = 20  # items linked per kind on the Others line


def _build_footer(digest: Digest) -> list[str]:
    lang, b = digest.lang, digest.build
    out = [f"## {label(lang, 'build')}", ""]
    for s in b.sources:
        state = f"{s.items}" if s.ok else f"✗ {escape.markdown(s.error)}"
        if s.skipped:
            state += f" ({label(lang, 'skipped_n', n=s.skipped)})"
        out.append(f"- {escape.markdown(s.name)} ({s.kind}): {state}")
    for note in b.notes:
        out.append(f"- {escape.markdown(note)}")
    if b.llm != "offline":
        out.append(f"- LLM: {b.llm}, {b.llm_calls} calls, {b.tokens} tokens")
    out.append("")
    for kind in ("news", "papers"):
        kd = digest.kinds.get(kind)
        if kd and kd.others:
            links = ", ".join(_source_link(r.title, r.url) for r in kd.others[:OTHERS_LINKS])
            more = len(kd.others) - OTHERS_LINKS
            tail = f", {label(lang, 'and_more', n=more)}" if more > 0 else ""
            others = label(lang, "others_list", kind=label(lang, kind), n=len(kd.others))
            out += [f"{others} — {links}{tail}", ""]
    skipped = [r for k in ("news", "papers") if k in digest.kinds for r in digest.kinds[k].skipped]
    if skipped:
        titles = "; ".join(escape.markdown(r.title) for r in skipped[:SKIPPED_TITLES])
        more = len(skipped) - SKIPPED_TITLES
        tail = f"; {label(lang, 'and_more', n=more)}" if more > 0 else ""
        out += [f"{label(lang, 'skipped', n=len(skipped))} — {titles}{tail}", ""]
    return out


def _line(line: str) -> str:
    """One line of a multi-line summary part: our "- " bullet stays a bullet; the rest is text."""
    bare = line.strip()
    if bare.startswith("- "):
        return "- " + _text(bare[2:])
    return _text(bare)


def _text(text: str) -> str:
    """Summary text as text, but for our citation marks: "[3]" stays "[3]" (no link can come of
    it: the report defines no link references, and a "(" after it is escaped)."""
    return _CITATION.sub(r"[\1]", escape.markdown(text))


def _source_link(title: str, url: str) -> str:
    text = escape.markdown(title)
    safe = escape.http_url(url)  # no space, <, >, ( or ) left in it
    return text if safe is None else f"[{text}](<{safe}>)"
