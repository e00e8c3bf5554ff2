"""A real HTTP server standing in for the Slack Web API (point a WebClient at `base_url`).

    POST /api/auth.test, chat.postMessage|postEphemeral|update|delete, conversations.history|
         replies|info|join, users.info, files.getUploadURLExternal, files.completeUploadExternal,
         files.info, files.list, oauth.v2.access, apps.connections.open
    POST /upload/{file_id}          step 2 of the file upload (the URL step 1 hands out)
    POST /response/{id}             a slash command's response_url
    GET  /socket                    a Socket Mode WebSocket (hello, then what tests push)

It records every call, answers 429 + Retry-After when a channel gets a second message within
`interval` seconds (chat.postMessage and a file shared into a channel count), checks Block Kit
limits (tests/doubles/slack_rules.py) and injects faults: `fail("chat.postMessage", status=500,
times=2, after=True)` answers 500 *after* doing the work, like a response lost on the way back.
A token "xoxb-T123-…" belongs to team T123; oauth.v2.access mints such tokens for code "code-T123".

Run as a process: python -m tests.doubles.slack_api --port 8766 (GET /_calls, /_messages,
/_responses, /_stats; POST /_faults, /_users, /_reset with JSON bodies, for tests in another
process).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import time
from dataclasses import asdict, dataclass
from typing import Any

from aiohttp import WSMsgType, web

from tests.doubles.slack_requests import command_body, signed_headers
from tests.doubles.slack_workspace import Workspace

DEFAULT_TEAM = "T0DEFAULT"
_JSON_ARGS = ("blocks", "metadata", "files", "attachments")
_POSTING = ("chat.postMessage", "files.completeUploadExternal")


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    team: str | None
    status: int
    at: float  # time.monotonic() when it arrived


@dataclass
class Fault:
    method: str
    status: int
    times: int
    after: bool  # do the work, then fail: the client cannot know it succeeded


class SlackApi(Workspace):
    def __init__(self, *, interval: float = 1.0, latency: float = 0.0) -> None:
        self.interval = interval  # seconds between two messages in one channel
        self.latency = latency  # added to every API answer
        self.calls: list[Call] = []
        super().__init__()
        self.responses: list[dict[str, Any]] = []  # bodies posted to response_urls
        self.socket_acks: list[dict[str, Any]] = []
        self.rate_limited = 0
        self._faults: list[Fault] = []
        self._last_post: dict[str, float] = {}
        self._sockets: list[web.WebSocketResponse] = []
        self._runner: web.AppRunner | None = None

    # -- lifecycle -------------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.add_routes(
            [
                web.post("/api/{method}", self._api),
                web.get("/api/{method}", self._api),
                web.post("/upload/{file_id}", self._upload),
                web.post("/response/{rid}", self._response),
                web.get("/socket", self._socket),
                web.get("/_calls", self._ctl_calls),
                web.get("/_messages", self._ctl_messages),
                web.get("/_responses", self._ctl_responses),
                web.get("/_stats", self._ctl_stats),
                web.post("/_faults", self._ctl_faults),
                web.post("/_users", self._ctl_users),
                web.post("/_reset", self._ctl_reset),
            ]
        )
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        for ws in self._sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:  # type: ignore[override]
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/api/"  # WebClient's base_url must end with /api/

    def response_url(self, rid: str = "") -> str:
        return f"{self.url}/response/{rid or next(self._seq)}"

    # -- test controls ---------------------------------------------------------------------
    def fail(self, method: str, *, status: int = 500, times: int = 1, after: bool = False) -> None:
        self._faults.append(Fault(method, status, times, after))

    def count(self, method: str) -> int:
        return sum(1 for c in self.calls if c.method == method and c.status == 200)

    def reset(self) -> None:
        self.calls.clear()
        self.messages.clear()
        self.files.clear()
        self.responses.clear()
        self._faults.clear()
        self._last_post.clear()
        self.rate_limited = 0

    async def push(self, envelope: dict[str, Any]) -> None:
        """Send a Socket Mode envelope to every connected app."""
        for ws in self._sockets:
            await ws.send_json(envelope)

    # -- the Web API -----------------------------------------------------------------------
    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _args(request)
        token = _token(request, args)
        team = _team_of(token) if token else None
        if self.latency:
            await asyncio.sleep(self.latency)
        status, body, headers = self._answer(method, args, token, team)
        self.calls.append(Call(method, args, team, status, time.monotonic()))
        return web.json_response(body, status=status, headers=headers)

    def _answer(
        self, method: str, args: dict[str, Any], token: str | None, team: str | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        fault = self._take_fault(method)
        if fault is not None and not fault.after:
            return fault.status, {"ok": False, "error": "fatal_error"}, {}
        kind = "xapp" if method == "apps.connections.open" else "xox"
        if method != "oauth.v2.access" and (token is None or not token.startswith(kind)):
            return 200, {"ok": False, "error": "not_authed" if not token else "invalid_auth"}, {}
        channel = str(args.get("channel") or args.get("channel_id") or "")
        if method in _POSTING and channel:
            wait = self._last_post.get(channel, -math.inf) + self.interval - time.monotonic()
            if wait > 0:
                self.rate_limited += 1
                retry = {"Retry-After": str(max(1, math.ceil(wait)))}
                return 429, {"ok": False, "error": "ratelimited"}, retry
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        body: dict[str, Any] = handler(args, team or DEFAULT_TEAM)
        if body.get("ok") and method in _POSTING and channel:
            self._last_post[channel] = time.monotonic()
        if fault is not None:
            return fault.status, {"ok": False, "error": "fatal_error"}, {}
        return 200, body, {}

    def _take_fault(self, method: str) -> Fault | None:
        for f in self._faults:
            if f.method == method and f.times > 0:
                f.times -= 1
                return f
        return None

    # -- other endpoints -------------------------------------------------------------------
    async def _upload(self, request: web.Request) -> web.Response:
        f = self.files.get(request.match_info["file_id"])
        data = await request.read()
        args = {"file_id": f.id if f else None}
        self.calls.append(Call("upload", args, None, 200, time.monotonic()))
        if f is None or len(data) != f.length:
            return web.Response(status=400, text="bad upload")
        f.data = data
        return web.Response(text=f"OK - {len(data)}")

    async def _response(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.responses.append({"rid": request.match_info["rid"], **body})
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {}})
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                self.socket_acks.append(json.loads(msg.data))
        self._sockets.remove(ws)
        return ws

    async def _ctl_calls(self, request: web.Request) -> web.Response:
        return web.json_response([asdict(c) for c in self.calls])

    async def _ctl_messages(self, request: web.Request) -> web.Response:
        return web.json_response(self.messages)

    async def _ctl_responses(self, request: web.Request) -> web.Response:
        return web.json_response(self.responses)

    async def _ctl_stats(self, request: web.Request) -> web.Response:
        posted = sum(len(v) for v in self.messages.values())
        return web.json_response({"rate_limited": self.rate_limited, "messages": posted})

    async def _ctl_faults(self, request: web.Request) -> web.Response:
        b = await request.json()
        self.fail(
            b["method"],
            status=b.get("status", 500),
            times=b.get("times", 1),
            after=b.get("after", False),
        )
        return web.json_response({"ok": True})

    async def _ctl_users(self, request: web.Request) -> web.Response:
        b = await request.json()
        self.add_user(b["id"], admin=b.get("admin", False), owner=b.get("owner", False))
        return web.json_response({"ok": True})

    async def _ctl_reset(self, request: web.Request) -> web.Response:
        self.reset()
        return web.json_response({"ok": True})


async def _args(request: web.Request) -> dict[str, Any]:
    args: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        args.update(await request.json())
    elif request.can_read_body:
        args.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
    for k in _JSON_ARGS:
        if isinstance(args.get(k), str) and args[k][:1] in ("[", "{"):
            args[k] = json.loads(args[k])
    return args


def _token(request: web.Request, args: dict[str, Any]) -> str | None:
    auth = request.headers.get("Authorization", "")
    return auth.removeprefix("Bearer ").strip() or args.pop("token", None)


def _team_of(token: str) -> str:
    parts = token.split("-")
    return parts[1] if len(parts) > 2 and parts[1].startswith("T") else DEFAULT_TEAM


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--interval", type=float, default=1.0)
    opts = parser.parse_args()

    async def serve() -> None:
        api = SlackApi(interval=opts.interval)
        await api.start(port=opts.port)
        print(f"slack stand-in ready on {api.base_url}", flush=True)
        await asyncio.Event().wait()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())


if __name__ == "__main__":
    main()


__all__ = ["SlackApi", "command_body", "signed_headers"]
