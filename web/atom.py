"""The Atom feed (RFC 4287): one entry per published day and language, newest first.

Built with ElementTree, which escapes every text and attribute, so a hostile title is text in
the feed too. Links are absolute: DIGEST_PUBLIC_URL, or the address the request came to.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from aiohttp import web

from core.digest import Digest
from web.labels import text
from web.site import SITE
from web.views import KIND_ORDER, counts_line

ATOM = "http://www.w3.org/2005/Atom"
FEED_DAYS = 30


async def feed(request: web.Request) -> web.Response:
    site = request.app[SITE]
    links = site.absolute(request)
    dates = (await site.dates())[:FEED_DAYS]
    langs = await asyncio.gather(*(site.days.langs(d) for d in dates))
    first = site.default_lang  # each day's default language first, then the others
    pairs = [
        (d, lang)
        for d, ls in zip(dates, langs, strict=True)
        for lang in sorted(ls, key=lambda x: x != first)
    ]
    metas = await asyncio.gather(*(site.days.meta(d, lang) for d, lang in pairs))
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    _sub(root, "title", "aidigest — Daily Artificial Intelligence Insights")
    _sub(root, "subtitle", "AI news and research papers, by category, summarised with sources")
    _sub(root, "id", links.home())
    _link(root, links.feed(), "self", "application/atom+xml")
    _link(root, links.home(), "alternate", "text/html")
    author = _sub(root, "author")
    _sub(author, "name", "aidigest")
    _sub(root, "generator", "aidigest")
    entries = [(d, lang, m) for (d, lang), m in zip(pairs, metas, strict=True) if m is not None]
    stamps = [_updated(m) for _, _, m in entries]
    _sub(root, "updated", max(stamps, default=_epoch()))
    for (day, lang, meta), stamp in zip(entries, stamps, strict=True):
        entry = _sub(root, "entry")
        url = links.day(day, lang)
        _sub(entry, "title", f"{text(lang, 'title')} — {day} ({lang})")
        _sub(entry, "id", url)
        _link(entry, url, "alternate", "text/html", hreflang=lang)
        _sub(entry, "updated", stamp)
        _sub(entry, "published", stamp)
        _sub(entry, "summary", _summary(meta), type="text")
        for kind in KIND_ORDER:
            if kind in meta.kinds:
                _sub(entry, "category", term=kind, label=text(lang, kind))
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return web.Response(body=body, content_type="application/atom+xml", charset="utf-8")


def _sub(parent: ET.Element, tag: str, value: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if value is not None:
        el.text = value
    return el


def _link(parent: ET.Element, href: str, rel: str, mime: str, **attrs: str) -> None:
    _sub(parent, "link", href=href, rel=rel, type=mime, **attrs)


def _updated(meta: Digest) -> str:
    try:
        when = datetime.fromisoformat(meta.build.started)
    except ValueError:
        return _epoch()
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _epoch() -> str:
    return "1970-01-01T00:00:00Z"


def _summary(meta: Digest) -> str:
    lines = [counts_line(meta)]
    for kind in KIND_ORDER:
        kd = meta.kinds.get(kind)
        if kd and kd.sections:
            names = ", ".join(f"{kd.names.get(c, c)} ({kd.counts.get(c, 0)})" for c in kd.sections)
            lines.append(f"{text(meta.lang, kind)}: {names}")
    return "\n".join(lines)


__all__ = ["feed"]
