"""The web archive's URL scheme, shared by the site, the bots and the Atom feed.

    {base}/                         the newest day
    {base}/{date}                   a day              ?lang=xx when not the default language
    {base}/{date}/{kind}/{category} one section
    {base}/category/{category}      a category across days
    {base}/search?q=…               search
    {base}/feed.xml                 the Atom feed
    {base}/chart/{date}/{name}.png  a chart ("papers", "papers-trend", …)

`base` is DIGEST_PUBLIC_URL; with none configured there are no links (every function gives "").
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote, urlencode


def _join(base: str, path: str, lang: str = "", default_lang: str = "") -> str:
    if not base:
        return ""
    url = base.rstrip("/") + path
    if lang and lang != default_lang:
        url += "?" + urlencode({"lang": lang})
    return url


@lru_cache(maxsize=8192)  # a search page links each hit's day and section
def day_url(base: str, date: str, lang: str = "", default_lang: str = "") -> str:
    return _join(base, f"/{quote(date)}", lang, default_lang)


@lru_cache(maxsize=8192)  # a search page links each hit's day and section
def section_url(
    base: str, date: str, kind: str, category: str, lang: str = "", default_lang: str = ""
) -> str:
    return _join(base, f"/{quote(date)}/{quote(kind)}/{quote(category)}", lang, default_lang)


@lru_cache(maxsize=1024)
def category_url(base: str, category: str, lang: str = "", default_lang: str = "") -> str:
    return _join(base, f"/category/{quote(category)}", lang, default_lang)


def search_url(base: str, words: str) -> str:
    return _join(base, "/search") + ("?" + urlencode({"q": words}) if base else "")


def feed_url(base: str) -> str:
    return _join(base, "/feed.xml")


def chart_url(base: str, date: str, name: str) -> str:
    return _join(base, f"/chart/{quote(date)}/{quote(name)}.png")
