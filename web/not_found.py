"""Pages for what is not there: say what was asked, what exists, and link to it."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from web.labels import text
from web.site import Site


@dataclass(frozen=True)
class Suggestion:
    url: str
    text: str


def not_found(
    site: Site,
    request: web.Request,
    day: str,
    dates: list[str],
    kind: str = "",
    category: str = "",
) -> web.Response:
    lang = site.pick_lang(request, [])
    links = site.links()
    if kind and day in dates:
        what = f"{day} {kind}/{category}"
        message = (
            f"No {kind} section ‘{category}’ on {day}."
            if lang == "en"
            else f"{day}에는 {kind} ‘{category}’ 섹션이 없습니다."
        )
        suggestions = [Suggestion(links.day(day, lang), day)]
    else:
        what = day
        message = (
            f"No digest for ‘{day}’. Recent days are listed below."
            if lang == "en"
            else f"‘{day}’의 다이제스트가 없습니다. 최근 날짜는 아래와 같습니다."
        )
        suggestions = [Suggestion(links.day(d, lang), d) for d in dates[:7]]
    return missing(site, lang, what, message, suggestions)


def missing(
    site: Site, lang: str, what: str, message: str, suggestions: list[Suggestion]
) -> web.Response:
    """The 404 page: what was asked (`what`), why it is not there, and what exists instead."""
    return site.render(
        "error.html",
        lang,
        status=404,
        title=f"{text(lang, 'not_found')} — {what}",
        heading=text(lang, "not_found"),
        message=message,
        suggestions=suggestions,
    )


def plain_error(site: Site, request: web.Request, status: int, message: str) -> web.Response:
    lang = site.pick_lang(request, [])
    return site.render(
        "error.html",
        lang,
        status=status,
        title=f"{status} — aidigest",
        heading=str(status),
        message=message,
        suggestions=[],
    )


__all__ = ["Suggestion", "missing", "not_found", "plain_error"]
