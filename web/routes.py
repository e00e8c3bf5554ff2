"""The aiohttp application: routes, security headers, the page cache, and errors as pages.

Every response carries a Content-Security-Policy that allows no script at all (the site needs
none), styles, images and fonts from the site only, and no framing. Reading Redis failing is a
503 page that says so; nothing a visitor types raises out of a handler.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web
from redis.exceptions import RedisError

from core.store.async_reader import follow_ready
from web import assets
from web.atom import feed
from web.category import category_page
from web.day_pages import day_page, home, section_page
from web.labels import text
from web.not_found import plain_error
from web.search_page import search_page
from web.site import SITE, Site

log = logging.getLogger(__name__)

CSP = (
    "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
DATE = r"{date:\d{4}-\d{2}-\d{2}}"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
CachedPage = tuple[int, bytes, str, str]


@web.middleware
async def cached(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Serve a page rendered earlier from memory, gzipped once (same address, same host:
    absolute links in a page come from the host when DIGEST_PUBLIC_URL is unset). Pages are
    forgotten when a day is published (core/store/async_reader.follow_ready) or after
    `page_ttl` seconds. Search
    pages are not kept here: the index is written just after the day, and the search reader
    keeps its own answers per version of the index."""
    site = request.app[SITE]
    if request.method not in ("GET", "HEAD") or request.path.startswith(("/static/", "/search")):
        return await handler(request)
    key = (request.host, request.path_qs)
    hit = site.pages.get(key)
    if hit is None:
        response = await handler(request)
        if not (
            isinstance(response, web.Response)
            and response.status in (200, 404)
            and isinstance(response.body, bytes)
            and "ETag" not in response.headers
        ):
            return response
        packed = gzip.compress(response.body, compresslevel=6)
        hit = (response.status, packed, response.content_type, response.charset or "")
        site.pages.put(key, hit)
    status, packed, mime, charset = hit
    out = web.Response(status=status, content_type=mime, charset=charset or None)
    out.headers["Vary"] = "Accept-Encoding"
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        out.body = packed
        out.headers["Content-Encoding"] = "gzip"
    else:
        out.body = gzip.decompress(packed)
    return out


@web.middleware
async def guarded(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Security headers on every response; failures as pages, never as tracebacks."""
    site = request.app[SITE]
    try:
        response = await handler(request)
    except web.HTTPNotFound:
        lang = site.pick_lang(request, [])
        response = plain_error(site, request, 404, text(lang, "not_found"))
    except web.HTTPException as e:
        response = plain_error(site, request, e.status, e.reason) if e.status >= 400 else e
    except (RedisError, ConnectionError, TimeoutError) as e:
        log.warning("reading the archive failed: %s: %s", type(e).__name__, e)
        lang = site.pick_lang(request, [])
        response = plain_error(site, request, 503, text(lang, "unavailable"))
        response.headers["Retry-After"] = "30"
    except Exception:  # a bug: the visitor gets a page, the log gets the traceback
        log.exception("page %s failed", request.path)
        response = plain_error(site, request, 500, "Internal error.")
    response.headers.update(SECURITY_HEADERS)
    return response


async def _follow(app: web.Application) -> AsyncIterator[None]:
    site = app[SITE]
    task = None
    if site.events is not None:
        redis, keys = site.events
        task = asyncio.create_task(follow_ready(redis, keys, site.forget))
    yield
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def make_app(site: Site) -> web.Application:
    app = web.Application(middlewares=[guarded, cached])
    app[SITE] = site
    app.cleanup_ctx.append(_follow)
    app.router.add_get("/", home)
    app.router.add_get(f"/{DATE}", day_page)
    app.router.add_get(
        f"/{DATE}/{{kind:news|papers}}/{{category:[A-Za-z0-9_-]{{1,64}}}}", section_page
    )
    app.router.add_get("/category/{category:[A-Za-z0-9_-]{1,64}}", category_page)
    app.router.add_get("/search", search_page)
    app.router.add_get("/feed.xml", feed)
    app.router.add_get(f"/chart/{DATE}/{{name:[a-z-]{{1,20}}}}.png", assets.chart)
    app.router.add_get("/static/fonts/hangul.woff", assets.font)
    app.router.add_get("/static/{name}", assets.static)
    app.router.add_get("/favicon.ico", assets.favicon)
    return app


__all__ = ["CSP", "make_app"]
