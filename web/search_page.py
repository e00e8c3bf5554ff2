"""The search page: a GET form (works without JavaScript), ranked hits with their day and
category, the query's words marked in each excerpt, paged."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from core.escape import http_url
from core.search.ranking import MAX_PAGE, Filters
from core.search.snippet import Segments
from core.taxonomy import OTHERS
from web.labels import LANG_NAMES, text
from web.og import clip
from web.site import SITE

PER_PAGE = 10


@dataclass(frozen=True)
class HitView:
    date: str
    title: str
    url: str  # the item's own http(s) link, "" for a section (its title links to its page)
    day_url: str
    section_url: str
    kind_title: str
    name: str
    source: str
    lang: str
    lang_name: str
    snippet: Segments


async def search_page(request: web.Request) -> web.Response:
    site = request.app[SITE]
    query = " ".join(request.query.get("q", "").split())[:200]
    try:
        page = max(1, min(int(request.query.get("page", "1")), MAX_PAGE))
    except ValueError:
        page = 1
    built = await site.newest_langs()
    lang = site.pick_lang(request, built)
    links = site.links()
    filters = Filters(lang=lang if len(built) > 1 else None)
    result = await site.search.search(query, filters, page, PER_PAGE)
    hits = []
    for h in result.hits:
        day_url = links.day(h.date, lang)
        in_section = h.category != OTHERS
        hits.append(
            HitView(
                date=h.date,
                title=h.title,
                url="" if h.is_section else (http_url(h.url) or ""),
                day_url=day_url,
                section_url=links.section(h.date, h.kind, h.category, h.lang or lang)
                if in_section
                else day_url,
                kind_title=text(lang, h.kind),
                name=h.name,
                source=h.source,
                lang=h.lang,
                lang_name=LANG_NAMES.get(h.lang, h.lang),
                snippet=h.snippet,
            )
        )
    title = f"{query} — {text(lang, 'search')}" if query else f"{text(lang, 'search')} — aidigest"
    return site.render(
        "search.html",
        lang,
        title=title,
        search_page=True,
        query=query,
        result=result,
        hits=hits,
        prev_url=links.search(query, lang, page - 1) if page > 1 else "",
        next_url=links.search(query, lang, page + 1) if page < min(result.pages, MAX_PAGE) else "",
        langs=site.lang_links(built, lang, lambda code: links.search(query, code)),
        og={
            "title": text(lang, "search_for", q=query) if query else text(lang, "search_label"),
            "description": _description(lang, query, result.total, hits),
            "url": site.absolute(request).search(query, lang, page),
        },
    )


def _description(lang: str, query: str, total: int, hits: list[HitView]) -> str:
    """What a pasted search link says: how many hits and the first titles, or that none."""
    if not query:
        return text(lang, "search_about")
    if not total:
        return text(lang, "no_results", q=query)
    titles = "; ".join(f"{h.title} ({h.date})" for h in hits[:3])
    return clip(f"{text(lang, 'results', total=total)}: {titles}")


__all__ = ["search_page"]
