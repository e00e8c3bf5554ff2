"""The HTTP server: Slack's requests (HTTP mode), the OAuth install pages, and /healthz
(in Socket Mode too, for the process supervisor)."""

from __future__ import annotations

import asyncio

from aiohttp import web
from redis.asyncio import Redis
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

EVENTS_PATH = "/slack/events"


def build_web(app: AsyncApp, redis: Redis[bytes], *, http_mode: bool) -> web.Application:
    web_app = web.Application()

    async def healthz(_: web.Request) -> web.Response:
        try:
            await asyncio.wait_for(redis.ping(), timeout=1.0)
        except Exception:
            return web.json_response({"ok": False, "redis": "unreachable"}, status=503)
        mode = "http" if http_mode else "socket"
        return web.json_response({"ok": True, "redis": "ok", "mode": mode})

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    web_app.router.add_get("/healthz", healthz)
    if http_mode:
        web_app.router.add_post(EVENTS_PATH, events)
        flow = app.oauth_flow
        if flow is not None:

            async def install(request: web.Request) -> web.Response:
                return await to_aiohttp_response(
                    await flow.handle_installation(await to_bolt_request(request))
                )

            async def redirect(request: web.Request) -> web.Response:
                return await to_aiohttp_response(
                    await flow.handle_callback(await to_bolt_request(request))
                )

            web_app.router.add_get(flow.install_path, install)
            web_app.router.add_get(flow.redirect_uri_path, redirect)
    return web_app


async def serve(web_app: web.Application, host: str, port: int) -> web.AppRunner:
    """Start listening; returns the runner (cleanup() stops it). Port 0 picks a free one."""
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner


def bound_port(runner: web.AppRunner) -> int:
    for site in runner.sites:
        server = getattr(site, "_server", None)
        if server is not None and server.sockets:
            return int(server.sockets[0].getsockname()[1])
    raise RuntimeError("not listening")
