"""A Discord stand-in that the real discord.py client connects to: REST, gateway, control API.

    python -m tests.doubles.discord_server --port 8790 [--token TOKEN]

prints `discord stand-in: http://127.0.0.1:8790` once it listens. Point the bot at it with
DISCORD_API_BASE=http://127.0.0.1:8790/api/v10 and DISCORD_GATEWAY_URL=ws://127.0.0.1:8790/gateway.
In-process tests use `StandIn(...).start()` (it serves from its own thread and event loop) and
talk to it through the control API, like a system test talks to the process:

    POST /_control/guilds        {"guilds": [{"name", "id"?, "channels": [{"name", "threads": bool,
                                  "post": bool}]}]}  (false: the bot may not create threads/post)
    POST /_control/interactions  {"guild_id", "channel_id", "subcommand", "options", "focused",
                                  "permissions"}  ?wait=SECONDS answers with the first callback
                                  (&brief=1: only its type and latency_ms)
    GET  /_control/interactions/{id}   callbacks, followups (files included) and edits
    GET  /_control/messages      ?guild_id= / ?channel_id= (threads count under their parent)
    POST /_control/limits        {"route": {"limit", "per"}, "routes": {...}, "global": {...}}
    POST /_control/faults        {"route", "major", "status", "delay", "retry_after", "times"}
    GET  /_control/stats, /_control/log, /_control/commands;  POST /_control/reset
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

from tests.doubles import discord_payloads as p
from tests.doubles.discord_interactions import interaction_payload
from tests.doubles.discord_rest import (
    API,
    ARRIVED,
    Fault,
    InteractionRecord,
    State,
    error,
    json_response,
)
from tests.doubles.discord_rest import routes as rest_routes

Json = dict[str, Any]


def build_app(state: State) -> web.Application:
    app = web.Application(middlewares=[_edge(state)], client_max_size=32 * 1024 * 1024)
    app.router.add_routes(rest_routes(state))
    app.router.add_routes(_control(state))
    app.router.add_get("/gateway", state.gateway.handle)
    return app


def _edge(state: State) -> Any:
    @web.middleware
    async def edge(request: web.Request, handler: Any) -> web.StreamResponse:
        request[ARRIVED] = time.monotonic()  # when Discord would have received it
        resource = request.match_info.route.resource
        if not request.path.startswith(API) or resource is None:
            passed: web.StreamResponse = await handler(request)
            return passed
        info = request.match_info
        route = f"{request.method} {resource.canonical.removeprefix(API)}"
        by_token = route.split()[1].startswith(("/interactions/", "/webhooks/"))
        if not by_token and request.headers.get("Authorization") != f"Bot {state.token}":
            return error(401, 0, "401: Unauthorized")
        major = info.get("channel_id") or info.get("guild_id") or info.get("webhook_id", "")
        major += info.get("interaction_id", "") + ("/" + info["token"] if "token" in info else "")
        fault = _take_fault(state, route, major)
        if fault and fault.delay:
            await asyncio.sleep(fault.delay)
        if fault and fault.status == 429:
            verdict = state.limits.inject_429(route, major, fault.retry_after)
        else:  # interaction callbacks and webhooks are outside the global limit, as on Discord
            verdict = state.limits.check(route, major, global_=not by_token)
        if verdict.status == 429:
            resp: web.StreamResponse = json_response(verdict.body, 429, verdict.headers)
        elif fault and fault.status:
            resp = error(fault.status, 0, f"injected {fault.status}")
        else:
            resp = await handler(request)
            resp.headers.update(verdict.headers)
        resp.headers["Via"] = "1.1 google"
        return resp

    return edge


def _take_fault(state: State, route: str, major: str) -> Fault | None:
    for f in state.faults:
        if f.route == route and f.major in ("", major) and f.times != 0:
            f.times -= 1 if f.times > 0 else 0
            return f
    return None


def _control(state: State) -> web.RouteTableDef:
    r = web.RouteTableDef()

    @r.post("/_control/guilds")
    async def add_guilds(request: web.Request) -> web.Response:
        out = []
        for g in (await request.json())["guilds"]:
            guild = p.Guild(int(g.get("id") or p.snowflake()), g.get("name", "guild"), state.app_id,
                            locale=g.get("locale", "en-US"))  # fmt: skip
            guild.bot_permissions = int(g.get("permissions", guild.bot_permissions))
            for i, c in enumerate(g.get("channels") or [{"name": "general"}]):
                deny = 0 if c.get("threads", True) else p.CREATE_PUBLIC_THREADS
                deny |= 0 if c.get("post", True) else p.SEND_MESSAGES
                ch = p.Channel(int(c.get("id") or p.snowflake()), guild.id, c.get("name", f"c{i}"),
                               deny_bot=deny, position=i)  # fmt: skip
                guild.channels[ch.id] = state.channels[ch.id] = ch
            state.guilds[guild.id] = guild
            session = state.gateway.for_guild(guild.id)
            if session is not None:  # the bot was invited while connected
                await session.dispatch("GUILD_CREATE", guild.payload(state.bot))
            out.append({"id": str(guild.id), "channels": [str(c) for c in guild.channels]})
        return json_response({"guilds": out})

    @r.post("/_control/interactions")
    async def inject(request: web.Request) -> web.Response:
        body = await request.json()
        try:
            payload = interaction_payload(state, body)
        except LookupError as e:
            return error(400, 0, f"cannot build that interaction: {e}")
        session = state.gateway.for_guild(int(payload["guild_id"]))
        if session is None:
            return error(409, 0, "no gateway session holds that guild")
        rec = InteractionRecord(payload)
        state.interactions[int(payload["id"])] = state.by_token[payload["token"]] = rec
        await session.dispatch("INTERACTION_CREATE", payload)
        rec.created = time.monotonic()  # sent: from here on the time is the bot's
        wait = float(request.query.get("wait", 0))
        if wait:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(rec.answered.wait(), wait)
        if request.query.get("brief"):  # just the outcome (the benchmark's many requests)
            kinds = [c["type"] for c in rec.callbacks]
            return json_response({"id": payload["id"], "callbacks": kinds,
                                  "latency_ms": rec.latency_ms})  # fmt: skip
        return json_response(rec.view())

    @r.get("/_control/interactions/{id}")
    async def interaction(request: web.Request) -> web.Response:
        rec = state.interactions.get(int(request.match_info["id"]))
        return json_response(rec.view()) if rec else error(404, 0, "no such interaction")

    @r.get("/_control/messages")
    async def messages(request: web.Request) -> web.Response:
        q = request.query
        out = [m for m in state.messages
               if q.get("channel_id") in (None, m["message"]["channel_id"], m["parent_id"])
               and q.get("guild_id") in (None, m["message"]["guild_id"])]  # fmt: skip
        return json_response(out)

    @r.post("/_control/limits")
    async def limits(request: web.Request) -> web.Response:
        state.limits.configure(await request.json())
        return json_response({"ok": True})

    @r.post("/_control/faults")
    async def faults(request: web.Request) -> web.Response:
        state.faults.append(Fault(**await request.json()))
        return json_response({"ok": True})

    @r.delete("/_control/faults")
    async def clear_faults(_: web.Request) -> web.Response:
        state.faults.clear()
        return json_response({"ok": True})

    @r.get("/_control/stats")
    async def stats(_: web.Request) -> web.Response:
        lim = state.limits
        return json_response({
            "requests": lim.requests, "limited": lim.limited, "past_429": lim.past_429,
            "identifies": state.gateway.identifies, "messages": len(state.messages),
            "interactions": len(state.interactions), "syncs": state.syncs,
            "sessions": [[s.shard, s.shards] for s in state.gateway.sessions if not s.ws.closed],
        })  # fmt: skip

    @r.get("/_control/log")
    async def log(_: web.Request) -> web.Response:
        return json_response(state.limits.log)

    @r.get("/_control/commands")
    async def commands(_: web.Request) -> web.Response:
        return json_response(state.commands)

    @r.post("/_control/reset")
    async def reset(_: web.Request) -> web.Response:
        state.messages.clear()
        state.nonces.clear()
        for tid in state.threads.values():
            ch = state.channels.pop(tid, None)
            if ch is not None:
                state.guilds[ch.guild_id].channels.pop(tid, None)
        state.threads.clear()
        state.interactions.clear()
        state.by_token.clear()
        state.faults.clear()
        state.limits.configure({})
        state.limits.reset_stats()
        return json_response({"ok": True})

    return r


class StandIn:
    """The stand-in served from its own thread and event loop, for in-process tests."""

    def __init__(self, token: str = "stand-in-token", port: int = 0) -> None:
        self.token, self.port = token, port
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
        self._runner = web.AppRunner(build_app(State(self.token)), handle_signals=False)
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
