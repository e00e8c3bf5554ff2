"""What every page handler shares: the readers, the settings, the template engine, the small
caches, and the helpers for language, links and rendering."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from aiohttp import web
from jinja2 import Environment
from redis.asyncio import Redis as AsyncRedis

from core.escape import http_url
from core.store.kept import Kept
from core.store.keys import Keys
from core.ttl_cache import TtlCache
from web.backends import DayReader, Searcher
from web.labels import LANG_NAMES, LOCALES, plain_words
from web.links import Links
from web.render import environment, words

DATES_TTL = 2.0  # seconds the list of published dates is kept (a publish clears it at once)
CHART_NAMES = ("news", "papers", "news-trend", "papers-trend")
LANGS = ("ko", "en")


@dataclass(frozen=True)
class LangLink:
    code: str
    name: str
    url: str
    current: bool


@dataclass(frozen=True)
class Frame:
    """What every page's frame (base.html) shows in one language: its links and words, made
    once per language rather than by a template call per page (a search page is rendered per
    request, and those calls were a tenth of its time)."""

    css: str
    icon: str
    feed: str
    home: str
    search: str
    w: SimpleNamespace  # the words without values: `w.search`; with values, templates call t()


@dataclass
class Site:
    days: DayReader
    search: Searcher
    default_lang: str = "ko"
    public_url: str = ""  # DIGEST_PUBLIC_URL; "" = absolute links from the request's address
    page_ttl: float = 10.0  # seconds a rendered page is served again without reading Redis
    events: tuple[AsyncRedis[bytes], Keys] | None = None  # (client, its keys): digest.ready; see
    # web/routes.py; with it, pages are forgotten when a day is published
    env: Environment = field(default_factory=environment)
    # (host, path and query) -> status, gzipped body, type, charset
    pages: TtlCache[tuple[str, str], tuple[int, bytes, str, str]] = field(init=False)
    _charts: TtlCache[str, dict[str, bytes]] = field(init=False)

    def __post_init__(self) -> None:
        self.pages = TtlCache(self.page_ttl, 1024)
        self._charts = TtlCache(self.page_ttl, 64)
        self._langs: Kept[str, list[str]] = Kept(DATES_TTL)  # the newest day's, by its date
        self._links = Links("", self.default_lang)
        self._frames: dict[str, Frame] = {}

    def forget(self, day: str) -> None:
        """`day` was published: every page may have changed."""
        self.pages.clear()
        self._charts.clear()
        self._langs.forget()
        self.days.published(day)

    async def dates(self) -> list[str]:
        """Published dates, newest first: every page asks (the reader keeps them a moment:
        cli/web.py gives it DATES_TTL)."""
        return await self.days.dates()

    async def newest_langs(self) -> list[str]:
        """The languages of the newest day: what pages about no one day may switch between."""
        dates = await self.dates()
        if not dates:
            return []
        newest = dates[0]
        return await self._langs.get(newest, lambda: self.days.langs(newest))

    def links(self) -> Links:
        return self._links

    def frame(self, lang: str) -> Frame:
        found = self._frames.get(lang)
        if found is None:
            links = self._links
            found = self._frames[lang] = Frame(
                css=links.static("site.css"),
                icon=links.static("favicon.svg"),
                feed=links.feed(),
                home=links.home(lang),
                search=links.search(),
                w=SimpleNamespace(**plain_words(lang)),
            )
        return found

    def absolute(self, request: web.Request) -> Links:
        """Links with a scheme and host, for the feed and Open Graph tags."""
        base = self.public_url or f"{request.scheme}://{request.host}"
        return Links(http_url(base) or "", self.default_lang)

    def pick_lang(self, request: web.Request, built: list[str]) -> str:
        asked = request.query.get("lang", "")
        for lang in (asked, self.default_lang, *built):
            if lang in built:
                return lang
        return asked if asked in LANGS else self.default_lang

    def lang_links(self, built: list[str], current: str, url_of: Any) -> list[LangLink]:
        """The language switch: only languages the page exists in."""
        return [
            LangLink(code, LANG_NAMES.get(code, code), url_of(code), code == current)
            for code in LANGS
            if code in built
        ]

    async def charts(self, day: str) -> dict[str, bytes]:
        """A day's charts (all of them: which exist decides which <img> a page has), kept a
        little longer than pages since they are the largest reads."""
        found = self._charts.get(day)
        if found is None:
            found = self._charts.put(day, await self.days.charts(day, CHART_NAMES))
        return found

    def render(self, template: str, lang: str, status: int = 200, **context: Any) -> web.Response:
        context.setdefault("langs", [])
        context.setdefault("canonical", "")
        og = context.setdefault("og", {})
        og.setdefault("type", "website")
        og.setdefault("url", "")
        og.setdefault("image", "")
        og.setdefault("image_alt", "")
        og.setdefault("title", context.get("title", "aidigest"))
        og.setdefault("description", "")
        og["locale"] = LOCALES.get(lang, "en_US")
        html = self.env.get_template(template).render(
            lang=lang, t=words(lang), links=self._links, frame=self.frame(lang), **context
        )
        return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


SITE: web.AppKey[Site] = web.AppKey("site", Site)

__all__ = ["CHART_NAMES", "SITE", "LangLink", "Site"]
