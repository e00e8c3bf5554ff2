"""The category page: one category across the published days, with its trend (an inline SVG
bar chart of items per day, each bar a link to that day's section) and its recent sections."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from core.digest import Digest
from core.taxonomy import OTHERS
from web.labels import text
from web.not_found import Suggestion, missing
from web.og import clip, words
from web.site import SITE, Site
from web.views import KIND_ORDER, SectionView, section_view

TREND_DAYS = 30
RECENT = 7
WIDTH, HEIGHT, TOP, BOTTOM = 600, 160, 16, 18


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    w: float
    h: float
    url: str
    label: str


@dataclass(frozen=True)
class Trend:
    kind: str
    title: str
    alt: str
    bars: list[Bar]
    width: int
    height: int
    base: int
    left: float
    first: str
    last: str
    peak: str


@dataclass(frozen=True)
class Recent:
    section: SectionView
    anchor: str
    kind_title: str
    total: int


def trend(
    kind: str,
    cat: str,
    name: str,
    metas: list[tuple[str, Digest]],
    lang: str,
    url_of: Callable[[str, str], str],
) -> Trend:
    """Bars oldest to newest; `metas` are (date, digest) newest first."""
    series = [(d, m.kinds[kind].counts.get(cat, 0)) for d, m in reversed(metas) if kind in m.kinds]
    peak = max((n for _, n in series), default=0) or 1
    slot = WIDTH / max(TREND_DAYS, len(series))
    left = WIDTH - slot * len(series)  # the newest day at the right edge, as every chart
    base = HEIGHT - BOTTOM
    bars = []
    for i, (day, n) in enumerate(series):
        h = (base - TOP) * n / peak
        bars.append(
            Bar(
                x=round(left + i * slot + slot * 0.15, 1),
                y=round(base - h, 1),
                w=round(slot * 0.7, 1),
                h=round(h, 1),
                url=url_of(day, kind),
                label=f"{day}: {n}",
            )
        )
    listed = ", ".join(f"{d} {n}" for d, n in series)
    title = f"{text(lang, kind)} · {text(lang, 'trend_days', n=len(series))}"
    return Trend(
        kind=kind,
        title=title,
        alt=f"{name} — {title}: {listed}",
        bars=bars,
        width=WIDTH,
        height=HEIGHT,
        base=base,
        left=round(left, 1),
        first=series[0][0] if len(series) > 1 else "",
        last=series[-1][0] if series else "",
        peak=str(max((n for _, n in series), default=0)),
    )


async def category_page(request: web.Request) -> web.Response:
    site = request.app[SITE]
    cat = request.match_info["category"]
    dates = (await site.dates())[:TREND_DAYS]
    built = await site.newest_langs()
    lang = site.pick_lang(request, built)
    found = await asyncio.gather(*(site.days.meta(d, lang) for d in dates))
    metas = [(d, m) for d, m in zip(dates, found, strict=True) if m is not None]
    kinds = [k for k in KIND_ORDER if any(cat in _names(m, k) for _, m in metas)]
    links = site.links()
    if not kinds or cat == OTHERS:
        return _unknown(site, request, lang, cat, metas)
    name = next(m.kinds[k].names[cat] for _, m in metas for k in kinds if k in m.kinds)

    def url_of(day: str, kind: str) -> str:
        return links.section(day, kind, cat, lang)

    trends = [trend(k, cat, name, metas, lang, url_of) for k in kinds]
    wanted = [(d, k) for d, m in metas for k in kinds if cat in _sections(m, k)]
    wanted = wanted[:RECENT]
    got = await asyncio.gather(*(site.days.sections(d, lang, [(k, cat)]) for d, k in wanted))
    recent = [
        Recent(section_view(s[0], links), f"{d}-{k}-{cat}", text(lang, k), s[0].total)
        for (d, k), s in zip(wanted, got, strict=True)
        if s[0] is not None
    ]
    title = f"{text(lang, 'category_title', name=name)} — aidigest"
    absolute = site.absolute(request)
    newest, meta = metas[0]
    chart = _trend_kind(cat, kinds, meta, await site.charts(newest))
    return site.render(
        "category.html",
        lang,
        title=title,
        name=name,
        trends=trends,
        recent=recent,
        langs=site.lang_links(built, lang, lambda code: links.category(cat, code)),
        canonical=absolute.category(cat, lang),
        og={
            "title": text(lang, "category_title", name=name),
            "description": _description(lang, cat, name, kinds, newest, meta, recent),
            "url": absolute.category(cat, lang),
            "image": absolute.chart(newest, f"{chart}-trend") if chart else "",
            "image_alt": f"{text(lang, chart)} — {text(lang, 'trend')}, {newest}" if chart else "",
        },
    )


def _trend_kind(cat: str, kinds: list[str], meta: Digest, charts: dict[str, bytes]) -> str:
    """The kind whose trend chart of the newest day (its top categories over 7 days) is the
    page's image: of `cat`'s kinds with one, where `cat` has the most items; "" if none has.
    The category's own inline chart is SVG, which Slack and Discord do not unfurl."""
    have = [k for k in kinds if f"{k}-trend" in charts and k in meta.kinds]
    return max(have, key=lambda k: meta.kinds[k].counts.get(cat, 0), default="")


def _description(
    lang: str,
    cat: str,
    name: str,
    kinds: list[str],
    newest: str,
    meta: Digest,
    recent: list[Recent],
) -> str:
    """The unfurl's words: "LLM · 2024-10-05: News 23 items · Papers 49 items — " and the
    newest section's first part, without its citations."""
    counts = " · ".join(
        f"{text(lang, k)} {text(lang, 'items_n', n=meta.kinds[k].counts.get(cat, 0))}"
        for k in kinds
        if k in meta.kinds
    )
    head = f"{name} · {newest}: {counts}"
    parts = recent[0].section.parts if recent else []
    first = words(parts[0].blocks) if parts else ""
    return clip(f"{head} — {first}" if first else head)


def _names(m: Digest, kind: str) -> dict[str, str]:
    kd = m.kinds.get(kind)
    return kd.names if kd else {}


def _sections(m: Digest, kind: str) -> list[str]:
    kd = m.kinds.get(kind)
    return kd.sections if kd else []


def _unknown(
    site: Site, request: web.Request, lang: str, cat: str, metas: list[tuple[str, Digest]]
) -> web.Response:
    links = site.links()
    names: dict[str, str] = {}
    for _, m in metas[:1]:
        for k in KIND_ORDER:
            names.update({c: n for c, n in _names(m, k).items() if c != OTHERS})
    message = (
        f"No category ‘{cat}’. These exist:"
        if lang == "en"
        else f"‘{cat}’ 카테고리가 없습니다. 있는 카테고리:"
    )
    suggestions = [Suggestion(links.category(c, lang), n) for c, n in names.items()]
    return missing(site, lang, cat, message, suggestions)


__all__ = ["category_page", "trend"]
