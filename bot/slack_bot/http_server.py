"""The HTTP server: Slack's requests (HTTP mode), the OAuth install pages, and /healthz
(in Socket Mode too, for the process supervisor).

Requests to /slack/events are checked here before Bolt sees them: a missing, malformed or
stale X-Slack-Request-Timestamp or a wrong signature gets 401 (Bolt answered 500 to a timestamp
that is not a number, and logs a refused request's whole body, response_url included).
/healthz answers 503 when Redis is unreachable or Slack refuses the bot token.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from redis.asyncio import Redis
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier

from bot.slack_bot.token_check import TokenCheck

EVENTS_PATH = "/slack/events"
log = logging.getLogger(__name__)


def signed(verifier: SignatureVerifier, body: bytes, timestamp: str, signature: str) -> bool:
    """Slack's signature over the body, with a timestamp of at most five minutes ago."""
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        return False
    return verifier.is_valid(body, timestamp, signature)


def build_web(
    app: AsyncApp,
    redis: Redis[bytes],
    *,
    http_mode: bool,
    signing_secret: str = "",
    token: TokenCheck | None = None,
) -> web.Application:
    web_app = web.Application()
    verifier = SignatureVerifier(signing_secret)

    async def healthz(_: web.Request) -> web.Response:
        mode = "http" if http_mode else "socket"
        slack = await token.current() if token is not None else "unchecked"
        try:
            await asyncio.wait_for(redis.ping(), timeout=1.0)
        except Exception:
            body = {"ok": False, "redis": "unreachable", "slack": slack, "mode": mode}
            return web.json_response(body, status=503)
        ok = token is None or not token.refused
        body = {"ok": ok, "redis": "ok", "slack": slack, "mode": mode}
        return web.json_response(body, status=200 if ok else 503)

    async def events(request: web.Request) -> web.Response:
        headers = request.headers
        stamp = headers.get("X-Slack-Request-Timestamp", "")
        if not signed(verifier, await request.read(), stamp, headers.get("X-Slack-Signature", "")):
            log.warning("refused a request to %s: bad signature or timestamp", EVENTS_PATH)
            return web.json_response({"error": "invalid request"}, status=401)
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
