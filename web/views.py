"""Digests and sections as the templates want them: parts as blocks, safe links, anchors, the
words of counts and charts in the page's language. Untrusted strings pass through unescaped:
the templates escape them (autoescape), once."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.digest import Digest, KindDigest, Section
from core.escape import http_url
from core.taxonomy import OTHERS
from web.labels import text
from web.links import Links
from web.text import Block, blocks

KIND_ORDER = ("news", "papers")


@dataclass(frozen=True)
class SourceView:
    n: int
    title: str
    url: str  # "" when the feed gave no http(s) link: the title is then not a link
    source: str
    upvotes: int
    points: int
    anchor: str


@dataclass(frozen=True)
class PartView:
    key: str
    heading: str
    blocks: list[Block]


@dataclass(frozen=True)
class SectionView:
    date: str
    lang: str
    kind: str
    category: str
    name: str
    anchor: str
    url: str
    parts: list[PartView]
    sources: list[SourceView]
    more: str  # "the top 8 of 22 items are summarised", or ""
    fallback: str  # why an LLM summary was replaced, or ""


@dataclass(frozen=True)
class ChartView:
    src: str
    alt: str


@dataclass(frozen=True)
class KindView:
    kind: str
    title: str
    total: int
    note: str
    others: str  # "12 items in Others are counted but not summarised", or ""
    skipped: str  # "54 items skipped as not about AI are not counted", or ""
    charts: list[ChartView]
    sections: list[SectionView] = field(default_factory=list)


def section_view(s: Section, links: Links) -> SectionView:
    anchor = f"{s.kind}-{s.category}"
    known = {ref.n for ref in s.sources}
    return SectionView(
        date=s.date,
        lang=s.lang,
        kind=s.kind,
        category=s.category,
        name=s.name,
        anchor=anchor,
        url=links.section(s.date, s.kind, s.category, s.lang),
        parts=[PartView(p.key, p.heading, blocks(p.text, known)) for p in s.parts],
        sources=[
            SourceView(
                n=r.n,
                title=r.title,
                url=http_url(r.url) or "",
                source=r.source,
                upvotes=r.upvotes,
                points=r.points,
                anchor=f"{anchor}-src-{r.n}",
            )
            for r in s.sources
        ],
        more=text(s.lang, "more", n=len(s.sources), total=s.total)
        if s.total > len(s.sources)
        else "",
        fallback=s.note if s.mode == "offline-fallback" else "",
    )


def chart_alt(kd: KindDigest, lang: str, date: str) -> str:
    """What the distribution chart shows, in words: every category with items, largest first."""
    counts = sorted(((n, c) for c, n in kd.counts.items() if n), key=lambda x: -x[0])
    listed = ", ".join(f"{kd.names.get(c, c)} {n}" for n, c in counts)
    head = f"{text(lang, kd.kind)} — {text(lang, 'chart')}, {date}"
    return f"{head}: {listed}" if listed else f"{head}: {text(lang, 'nothing')}"


def kind_views(
    digest: Digest, chart_names: list[str], links: Links, with_sections: bool = True
) -> list[KindView]:
    lang, out = digest.lang, []
    for kind in KIND_ORDER:
        kd = digest.kinds.get(kind)
        if kd is None:
            continue
        charts = []
        if kind in chart_names:
            charts.append(
                ChartView(links.chart(digest.date, kind), chart_alt(kd, lang, digest.date))
            )
        if f"{kind}-trend" in chart_names:
            alt = f"{text(lang, kind)} — {text(lang, 'trend')}, {digest.date}"
            charts.append(ChartView(links.chart(digest.date, f"{kind}-trend"), alt))
        others = kd.counts.get(OTHERS, 0)
        skipped = len(kd.skipped)  # set aside before counting: in no chart, no total
        sections = [s for s in digest.sections if s.kind == kind] if with_sections else []
        order = {c: i for i, c in enumerate(kd.sections)}
        sections.sort(key=lambda s: order.get(s.category, len(order)))
        out.append(
            KindView(
                kind=kind,
                title=text(lang, kind),
                total=kd.total,
                note=kd.note,
                others=text(lang, "others", n=others) if others else "",
                skipped=text(lang, "skipped_kind", n=skipped) if skipped else "",
                charts=charts,
                sections=[section_view(s, links) for s in sections],
            )
        )
    return out


def counts_line(digest: Digest) -> str:
    lang = digest.lang
    parts = [
        f"{text(lang, k)} {text(lang, 'items_n', n=digest.kinds[k].total)}"
        for k in KIND_ORDER
        if k in digest.kinds
    ]
    b = digest.build
    mode = text(lang, "mode_llm", model=b.llm) if b.llm != "offline" else text(lang, "mode_offline")
    return " · ".join([*parts, mode])


__all__ = ["ChartView", "KindView", "SectionView", "chart_alt", "counts_line", "kind_views"]
