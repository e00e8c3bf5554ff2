"""A real HTTP server standing in for the Slack Web API (point a WebClient at `base_url`), as
strict as Slack on what the app relies on.

    POST /api/{method}        auth.test, chat.*, conversations.*, users.info, files.*,
                              views.*, oauth.v2.access, apps.connections.open
    POST /upload/{file_id}    step 2 of the file upload (the URL step 1 hands out)
    POST /response/{id}       a response_url (5 uses in 30 minutes)
    GET  /socket              a Socket Mode WebSocket (hello, then what tests push)

Every call is checked in Slack's order: the token (tests/doubles/slack_workspace.py: granted,
not revoked, of the right kind), the method's rate tier (tests/doubles/slack_tiers.py: 429 with
Retry-After), one message a second per channel for chat.postMessage and file shares (429), then
the method itself (channels, Block Kit and message size, files and their asynchronous shares,
views and triggers). Every call is recorded. Faults: `fail("chat.postMessage", status=500,
times=2, after=True)` answers 500 *after* doing the work, like a response lost on the way back;
`hold("auth.test", 60)` answers a method only after that long, like a Slack that hangs.

Run as a process: python -m tests.doubles.slack_api --port 8766 [--team T --token xoxb-…
--channel C…] (GET /_calls, /_messages, /_responses, /_stats; POST /_setup {tokens, channels,
users}, /_response_url {team, channel, user}, /_faults, /_reset, for tests and benches in
another process).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

from tests.doubles.slack_control import control_routes
from tests.doubles.slack_interactions import Interactions
from tests.doubles.slack_requests import command_body, signed_headers
from tests.doubles.slack_tiers import RateTiers

_JSON_ARGS = ("blocks", "metadata", "files", "attachments", "view")
_POSTING = ("chat.postMessage", "files.completeUploadExternal")


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    team: str | None
    status: int
    at: float  # time.monotonic() when it arrived
    error: str | None = None


@dataclass
class Fault:
    method: str
    status: int
    times: int
    after: bool  # do the work, then fail: the client cannot know it succeeded


class SlackApi(Interactions):
    def __init__(
        self,
        *,
        interval: float = 1.0,
        latency: float = 0.0,
        share_delay: float = 0.2,
        minute: float = 60.0,
    ) -> None:
        super().__init__(share_delay=share_delay)
        self.interval = interval  # seconds between two messages in one channel
        self.latency = latency  # added to every API answer
        self.holds: dict[str, float] = {}  # method -> seconds its answers wait (a hung Slack)
        self.held: list[str] = []  # methods whose answer is (or was) held, as they arrived
        self._closing = asyncio.Event()
        self.tiers = RateTiers(minute)
        self.calls: list[Call] = []
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
                *control_routes(self),
            ]
        )
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{self.port}"

    async def close(self) -> None:
        self._closing.set()
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"{self.url}/api/"  # WebClient's base_url must end with /api/

    # -- test controls ---------------------------------------------------------------------
    def fail(self, method: str, *, status: int = 500, times: int = 1, after: bool = False) -> None:
        self._faults.append(Fault(method, status, times, after))

    def hold(self, method: str, seconds: float) -> None:
        """Answer `method` only after `seconds` (a Slack that hangs); `held` records arrivals."""
        self.holds[method] = seconds

    def count(self, method: str) -> int:
        return sum(1 for c in self.calls if c.method == method and c.status == 200)

    def refusals(self, method: str = "") -> list[str]:
        """The errors Slack answered, in order (of one method, or all)."""
        return [c.error for c in self.calls if c.error and (not method or c.method == method)]

    def reset(self) -> None:
        """Forget what happened (calls, messages, files, views, limits); keep what exists
        (tokens, channels, users)."""
        for store in (self.calls, self.files, self.responses, self.ephemerals, self._faults):
            store.clear()
        self.ack_refusals.clear()
        self.response_answers.clear()
        for store2 in (self.messages, self._last_post, self.views, self.homes, self.stacks):
            store2.clear()
        self._pending.clear()
        self.tiers.reset()
        self.holds.clear()
        self.held.clear()
        self.rate_limited = 0
        self.home_enabled = True

    async def push(self, envelope: dict[str, Any]) -> None:
        """Send a Socket Mode envelope to every connected app."""
        for ws in self._sockets:
            await ws.send_json(envelope)

    # -- the Web API -----------------------------------------------------------------------
    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _args(request)
        token = _token(request, args)
        if self.latency:
            await asyncio.sleep(self.latency)
        if (hold := self.holds.get(method)) is not None:
            self.held.append(method)
            with contextlib.suppress(TimeoutError):  # close() lets held answers go
                await asyncio.wait_for(self._closing.wait(), hold)
        team, refused = self.authorize(token, method)
        status, body, headers = self._answer(method, args, team, refused)
        error = None if body.get("ok") else str(body.get("error"))
        self.calls.append(Call(method, args, team, status, time.monotonic(), error))
        return web.json_response(body, status=status, headers=headers)

    def _answer(
        self, method: str, args: dict[str, Any], team: str | None, refused: dict[str, Any] | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        fault = self._take_fault(method)
        if fault is not None and not fault.after:
            return fault.status, {"ok": False, "error": "fatal_error"}, {}
        if refused is not None:
            return 200, refused, {}
        now = time.monotonic()
        if team is not None and (wait := self.tiers.admit(team, method, now)) is not None:
            return self._limited(wait)
        channel = str(args.get("channel") or args.get("channel_id") or "")
        if method in _POSTING and channel:
            wait_s = self._last_post.get(channel, -math.inf) + self.interval - now
            if wait_s > 0:
                return self._limited(max(1, math.ceil(wait_s)))
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return 404, {"ok": False, "error": "unknown_method"}, {}
        self.settle()
        body: dict[str, Any] = handler(args, team or "")
        if body.get("ok") and method in _POSTING and channel:
            self._last_post[channel] = time.monotonic()
        if fault is not None:
            return fault.status, {"ok": False, "error": "fatal_error"}, {}
        return 200, body, {}

    def _limited(self, wait: int) -> tuple[int, dict[str, Any], dict[str, str]]:
        self.rate_limited += 1
        return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(wait)}

    def _take_fault(self, method: str) -> Fault | None:
        for f in self._faults:
            if f.method == method and f.times > 0:
                f.times -= 1
                return f
        return None

    # -- other endpoints -------------------------------------------------------------------
    async def _upload(self, request: web.Request) -> web.Response:
        fid = request.match_info["file_id"]
        ok = self.upload(fid, await request.read())
        status = 200 if ok else 400
        self.calls.append(Call("upload", {"file_id": fid}, None, status, time.monotonic()))
        return web.Response(text="OK") if ok else web.Response(status=400, text="bad upload")

    async def _response(self, request: web.Request) -> web.Response:
        at = time.monotonic()
        status, text = self.respond(request.match_info["rid"], await request.json(), at)
        return web.Response(status=status, text=text)

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--team", default="T1", help="the team of --token and --channel")
    parser.add_argument("--token", action="append", default=[], help="a bot token to grant")
    parser.add_argument("--channel", action="append", default=[], help="a public channel")
    opts = parser.parse_args()

    async def serve() -> None:
        api = SlackApi(interval=opts.interval)
        for token in opts.token:
            api.grant(token, team=opts.team)
        for channel in opts.channel:
            api.add_channel(channel, team=opts.team)
        await api.start(port=opts.port)
        print(f"slack stand-in ready on {api.base_url}", flush=True)
        await asyncio.Event().wait()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())


if __name__ == "__main__":
    main()


__all__ = ["SlackApi", "command_body", "signed_headers"]
