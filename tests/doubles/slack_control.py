"""The Slack stand-in's control endpoints, for tests and benches that run it as a process:

GET  /_calls, /_messages, /_responses, /_stats
POST /_setup {tokens: [{token, team, kind}], channels: [{id, team, …}], users: [{id, …}]}
POST /_response_url {team, channel, user} -> {url}   (a response_url Slack would issue)
POST /_faults {method, status, times}, /_reset
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from tests.doubles.slack_api import SlackApi


def control_routes(api: SlackApi) -> list[web.RouteDef]:
    async def calls(request: web.Request) -> web.Response:
        return web.json_response([asdict(c) for c in api.calls])

    async def messages(request: web.Request) -> web.Response:
        api.settle()
        return web.json_response(api.messages)

    async def responses(request: web.Request) -> web.Response:
        return web.json_response(api.responses)

    async def stats(request: web.Request) -> web.Response:
        api.settle()
        posted = sum(len(v) for v in api.messages.values())
        return web.json_response(
            {"rate_limited": api.rate_limited, "messages": posted, "orphans": len(api.orphans())}
        )

    async def setup(request: web.Request) -> web.Response:
        b = await request.json()
        for t in b.get("tokens", []):
            api.grant(t["token"], team=t.get("team", "T1"), kind=t.get("kind", "bot"))
        for c in b.get("channels", []):
            api.add_channel(c.pop("id"), **c)
        for u in b.get("users", []):
            api.add_user(u.pop("id"), **u)
        return web.json_response({"ok": True})

    async def response_url(request: web.Request) -> web.Response:
        b = await request.json()
        return web.json_response({"url": api.response_url(**b)})

    async def faults(request: web.Request) -> web.Response:
        b = await request.json()
        api.fail(b["method"], status=b.get("status", 500), times=b.get("times", 1))
        return web.json_response({"ok": True})

    async def reset(request: web.Request) -> web.Response:
        api.reset()
        return web.json_response({"ok": True})

    return [
        web.get("/_calls", calls),
        web.get("/_messages", messages),
        web.get("/_responses", responses),
        web.get("/_stats", stats),
        web.post("/_setup", setup),
        web.post("/_response_url", response_url),
        web.post("/_faults", faults),
        web.post("/_reset", reset),
    ]
