"""A Discord stand-in that the real discord.py client connects to: REST, gateway, control API.

    python -m tests.doubles.discord_server --port 8790 [--token TOKEN]

prints `discord stand-in: http://127.0.0.1:8790` once it listens. Point the bot at it with
DISCORD_API_BASE=http://127.0.0.1:8790/api/v10 and DISCORD_GATEWAY_URL=ws://127.0.0.1:8790/gateway.
In-process tests use `StandIn(...).start()` (it serves from its own thread and event loop) and
talk to it through the control API (discord_control_api.py), like a system test talks to the
process. It is as strict as Discord: rate limits are on (discord_limits.py), and what Discord
refuses is refused with Discord's codes (discord_rest.py, discord_callbacks.py, discord_rules.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import threading
import time
from typing import Any

from aiohttp import web

from core import heap
from tests.doubles import discord_callbacks, discord_control_api
from tests.doubles.discord_rest import API, ARRIVED, CODES, Fault, State, error, json_response
from tests.doubles.discord_rest import routes as rest_routes

INVALID = (401, 403, 429)  # what Discord counts towards its invalid-request (Cloudflare) limit


def build_app(state: State) -> web.Application:
    app = web.Application(middlewares=[_edge(state)], client_max_size=32 * 1024 * 1024)
    app.router.add_routes(rest_routes(state))
    app.router.add_routes(discord_callbacks.routes(state))
    app.router.add_routes(discord_control_api.routes(state))
    app.router.add_get("/gateway", state.gateway.handle)
    app.on_shutdown.append(lambda _: state.gateway.close_all())
    return app


def _edge(state: State) -> Any:
    @web.middleware
    async def edge(request: web.Request, handler: Any) -> web.StreamResponse:
        request[ARRIVED] = time.monotonic()  # when Discord would have received it
        resource = request.match_info.route.resource
        if not request.path.startswith(API) or resource is None:
            passed: web.StreamResponse = await handler(request)
            return passed
        resp = await _answer(state, request, handler, resource.canonical.removeprefix(API))
        resp.headers["Via"] = "1.1 google"
        if resp.status in INVALID:
            state.limits.invalid += 1
        return resp

    return edge


async def _answer(state: State, request: web.Request, handler: Any, path: str) -> web.Response:
    info = request.match_info
    route = f"{request.method} {path}"
    by_token = path.startswith(("/interactions/", "/webhooks/"))
    if not by_token and request.headers.get("Authorization") != f"Bot {state.token}":
        return error(401, 0, "401: Unauthorized")
    major = info.get("channel_id") or info.get("guild_id") or info.get("webhook_id", "")
    major += info.get("interaction_id", "") + ("/" + info["token"] if "token" in info else "")
    fault = _take_fault(state, route, major)
    if fault and fault.delay and not fault.lost:
        await asyncio.sleep(fault.delay)
    if fault and fault.status == 429:
        verdict = state.limits.inject_429(route, major, fault.retry_after)
    else:  # interaction callbacks and webhooks are outside the global limit, as on Discord
        verdict = state.limits.check(route, major, global_=not by_token)
    if verdict.status == 429:
        return json_response(verdict.body, 429, verdict.headers)
    if fault and fault.status and not fault.lost:
        code, message = CODES.get(fault.status, (0, f"{fault.status}: injected"))
        return error(fault.status, fault.code if fault.code is not None else code,
                     fault.message or message)  # fmt: skip
    resp: web.Response = await handler(request)
    resp.headers.update(verdict.headers)
    if fault and fault.lost:  # done on Discord's side; the answer never reaches the client
        await asyncio.sleep(fault.delay)  # ...or only after the client has gone
        if not fault.status and request.transport is not None:
            request.transport.close()
        return error(fault.status or 502, 0, f"{fault.status or 502}: the answer was lost")
    return resp


def _take_fault(state: State, route: str, major: str) -> Fault | None:
    for f in state.faults:
        if f.route == route and f.major in ("", major) and f.times != 0:
            f.times -= 1 if f.times > 0 else 0
            return f
    return None


class StandIn:
    """The stand-in served from its own thread and event loop, for in-process tests."""

    def __init__(self, token: str = "stand-in-token", port: int = 0) -> None:
        self.token, self.port = token, port
        self.state = State(token)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return self.url + API

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def start(self) -> StandIn:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(10)
        return self

    async def _serve(self) -> None:
        # A test may leave a client that died mid-request: do not wait a minute for it.
        self._runner = web.AppRunner(
            build_app(self.state), handle_signals=False, shutdown_timeout=2.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)


async def _main(host: str, port: int, token: str) -> None:
    runner = web.AppRunner(build_app(State(token)))
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(f"discord stand-in: http://{host}:{bound}", flush=True)
    heap.settle()  # as the bot does: no full collection scans start-up again (40-120 ms pauses)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--token", default="stand-in-token")
    args = ap.parse_args(argv)
    started = time.monotonic()
    asyncio.run(_main(args.host, args.port, args.token))
    with contextlib.suppress(BrokenPipeError):  # whoever started us may have stopped reading
        print(f"discord stand-in: stopped after {time.monotonic() - started:.1f}s", flush=True)


if __name__ == "__main__":
    main()
