"""The day page (also the home page: the newest day) and the section page."""

from __future__ import annotations

from datetime import date as Date

from aiohttp import web

from core.digest import Digest
from web.labels import text
from web.not_found import not_found
from web.og import clip, words
from web.site import SITE
from web.views import KIND_ORDER, counts_line, kind_views, section_view


def valid_date(day: str) -> bool:
    try:
        Date.fromisoformat(day)
    except ValueError:
        return False
    return True


async def home(request: web.Request) -> web.Response:
    return await day_page(request)


async def day_page(request: web.Request) -> web.Response:
    site = request.app[SITE]
    dates = await site.dates()
    day = request.match_info.get("date") or (dates[0] if dates else "")
    if not dates:
        return site.render(
            "error.html", site.default_lang, title="aidigest",
            heading="aidigest", message=text(site.default_lang, "no_days"), suggestions=[],
        )  # fmt: skip
    if day not in dates or not valid_date(day):
        return not_found(site, request, day, dates)
    built = await site.days.langs(day)
    lang = site.pick_lang(request, built)
    digest = await site.days.digest(day, lang)
    if digest is None:
        return not_found(site, request, day, dates)
    charts = await site.charts(day)
    links, absolute = site.links(), site.absolute(request)
    i = dates.index(day)
    kinds = kind_views(digest, list(charts), links)
    image = next((k for k in ("papers", "news") if k in charts), "")
    title = f"{text(lang, 'title')} — {day}"
    return site.render(
        "day.html",
        lang,
        title=title,
        digest=digest,
        kinds=kinds,
        counts=counts_line(digest),
        prev_url=links.day(dates[i + 1], lang) if i + 1 < len(dates) else "",
        next_url=links.day(dates[i - 1], lang) if i > 0 else "",
        langs=site.lang_links(built, lang, lambda code: links.day(day, code)),
        canonical=absolute.day(day, lang),
        og={
            "type": "article",
            "title": title,
            "description": _description(digest),
            "url": absolute.day(day, lang),
            "image": absolute.chart(day, image) if image else "",
            "image_alt": next((c.alt for k in kinds for c in k.charts if k.kind == image), ""),
        },
    )


async def section_page(request: web.Request) -> web.Response:
    site = request.app[SITE]
    day, kind, cat = (request.match_info[k] for k in ("date", "kind", "category"))
    dates = await site.dates()
    if day not in dates:
        return not_found(site, request, day, dates)
    built = await site.days.langs(day)
    lang = site.pick_lang(request, built)
    [section] = await site.days.sections(day, lang, [(kind, cat)])
    if section is None:
        return not_found(site, request, day, dates, kind=kind, category=cat)
    links, absolute = site.links(), site.absolute(request)
    i = dates.index(day)
    neighbours = [dates[i + 1] if i + 1 < len(dates) else "", dates[i - 1] if i > 0 else ""]
    urls = []
    for other in neighbours:
        meta = await site.days.meta(other, lang) if other else None
        has = meta is not None and kind in meta.kinds and cat in meta.kinds[kind].sections
        urls.append(
            links.section(other, kind, cat, lang)
            if has
            else links.day(other, lang)
            if other
            else ""
        )
    charts = await site.charts(day)
    view = section_view(section, links)
    title = f"{section.name} · {text(lang, kind)} — {day}"
    first = words(view.parts[0].blocks) if view.parts else ""
    return site.render(
        "section.html",
        lang,
        title=title,
        sec=view,
        kind_title=text(lang, kind),
        day_url=links.day(day, lang),
        category_url=links.category(cat, lang),
        prev_url=urls[0],
        next_url=urls[1],
        langs=site.lang_links(built, lang, lambda code: links.section(day, kind, cat, code)),
        canonical=absolute.section(day, kind, cat, lang),
        og={
            "type": "article",
            "title": title,
            "description": clip(first),
            "url": absolute.section(day, kind, cat, lang),
            "image": absolute.chart(day, kind) if kind in charts else "",
            "image_alt": f"{text(lang, kind)} — {text(lang, 'chart')}, {day}",
        },
    )


def _description(digest: Digest) -> str:
    parts = [counts_line(digest)]
    for kind in KIND_ORDER:
        kd = digest.kinds.get(kind)
        if kd and kd.sections:
            names = ", ".join(kd.names.get(c, c) for c in kd.sections[:6])
            parts.append(f"{text(digest.lang, kind)}: {names}")
    return clip(" · ".join(parts))


__all__ = ["day_page", "home", "section_page", "valid_date"]
