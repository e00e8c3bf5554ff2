"""Charts (PNG bytes from the days' store), the stylesheet, the icon and the Hangul web font.

The Hangul font (web/font.py) is fetched by browsers only for Hangul their own fonts cannot
draw (see site.css).
"""

from __future__ import annotations

import hashlib
from importlib import resources

from aiohttp import web

from web.font import woff
from web.site import CHART_NAMES, SITE

STATIC_TYPES = {"site.css": "text/css", "favicon.svg": "image/svg+xml"}
LONG = "public, max-age=604800"


async def chart(request: web.Request) -> web.Response:
    site = request.app[SITE]
    day, name = request.match_info["date"], request.match_info["name"]
    if name not in CHART_NAMES:
        raise web.HTTPNotFound(text=f"no chart named {name!r}")
    png = (await site.charts(day)).get(name)
    if png is None:
        raise web.HTTPNotFound(text=f"no {name} chart for {day}")
    etag = hashlib.sha256(png).hexdigest()[:32]
    headers = {"Cache-Control": "public, max-age=600", "ETag": f'"{etag}"'}
    if request.headers.get("If-None-Match") == f'"{etag}"':
        return web.Response(status=304, headers=headers)
    return web.Response(body=png, content_type="image/png", headers=headers)


async def static(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    mime = STATIC_TYPES.get(name)
    if mime is None:
        raise web.HTTPNotFound()
    data = resources.files("web").joinpath("static", name).read_bytes()
    return web.Response(body=data, content_type=mime, headers={"Cache-Control": LONG})


async def favicon(request: web.Request) -> web.Response:
    data = resources.files("web").joinpath("static", "favicon.svg").read_bytes()
    return web.Response(body=data, content_type="image/svg+xml", headers={"Cache-Control": LONG})


async def font(request: web.Request) -> web.Response:
    data = await woff()
    if data is None:
        raise web.HTTPNotFound(text="no Hangul font is installed with this server")
    return web.Response(body=data, content_type="font/woff", headers={"Cache-Control": LONG})


__all__ = ["chart", "favicon", "font", "static"]
