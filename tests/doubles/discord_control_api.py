"""The stand-in's control API: what a test does behind Discord's back (client: discord_control.py).

POST   /_control/guilds        {"guilds": [{"name", "id"?, "permissions"?, "channels": [{"name",
                                "threads", "post", "history", "files", "embeds", "view": bool,
                                "overwrites": [...]}]}]}  (false: the bot's role is denied it)
PATCH  /_control/channels/{id} the same channel switches: the overwrites change (CHANNEL_UPDATE)
DELETE /_control/channels/{id} the channel and its threads are deleted (CHANNEL_DELETE)
POST   /_control/interactions  see discord_interactions.py; ?wait=SECONDS answers with the first
                               callback (&brief=1: only its types and latency_ms)
GET    /_control/interactions/{id}   callbacks, followups (files included), edits, refusals
GET    /_control/messages      ?guild_id= / ?channel_id= (threads count under their parent)
POST   /_control/limits        {"route": {"limit", "per"}, "routes": {...}, "global": ...}
                               over Discord's own limits ("global": null, none); {"off": true}
POST   /_control/faults        {"route", "major", "status", "code", "message", "delay",
                                "retry_after", "times", "lost"}
POST   /_control/clock         {"advance": seconds, "nonce_window": seconds}
GET    /_control/stats, /_control/log, /_control/commands;  POST /_control/reset
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from aiohttp import web

from tests.doubles import discord_guilds as g
from tests.doubles import discord_payloads as p
from tests.doubles.discord_interactions import interaction_payload
from tests.doubles.discord_rest import NONCE_WINDOW, Fault, InteractionRecord, State, error
from tests.doubles.discord_rest import json_response as ok


def routes(state: State) -> web.RouteTableDef:
    r = web.RouteTableDef()

    @r.post("/_control/guilds")
    async def add_guilds(request: web.Request) -> web.Response:
        out = []
        for spec in (await request.json())["guilds"]:
            guild = g.Guild(int(spec.get("id") or p.snowflake()), spec.get("name", "guild"),
                            state.app_id, locale=spec.get("locale", "en-US"))  # fmt: skip
            guild.bot_permissions = int(spec.get("permissions", guild.bot_permissions))
            for i, c in enumerate(spec.get("channels") or [{"name": "general"}]):
                ch = g.Channel(int(c.get("id") or p.snowflake()), guild.id, c.get("name", f"c{i}"),
                               position=i)  # fmt: skip
                ch.overwrites = g.channel_overwrites(c, guild)
                guild.channels[ch.id] = state.channels[ch.id] = ch
            state.guilds[guild.id] = guild
            session = state.gateway.for_guild(guild.id)
            if session is not None:  # the bot was invited while connected
                await session.dispatch("GUILD_CREATE", guild.payload(state.bot))
            out.append({"id": str(guild.id), "channels": [str(c) for c in guild.channels]})
        return ok({"guilds": out})

    @r.patch("/_control/channels/{id}")
    async def update_channel(request: web.Request) -> web.Response:
        ch = state.channels.get(int(request.match_info["id"]))
        if ch is None or ch.type == 11:
            return error(404, 10003, "Unknown Channel")
        spec = await request.json()
        ch.overwrites = g.channel_overwrites(spec, state.guilds[ch.guild_id])
        ch.name = spec.get("name", ch.name)
        await _tell(state, ch.guild_id, "CHANNEL_UPDATE", ch.payload())
        return ok(ch.payload())

    @r.delete("/_control/channels/{id}")
    async def delete_channel(request: web.Request) -> web.Response:
        ch = state.delete_channel(int(request.match_info["id"]))
        if ch is None:
            return error(404, 10003, "Unknown Channel")
        await _tell(state, ch.guild_id, "CHANNEL_DELETE", ch.payload())
        return ok({"deleted": str(ch.id)})

    @r.post("/_control/interactions")
    async def inject(request: web.Request) -> web.Response:
        body = await request.json()
        try:
            payload = interaction_payload(state, body)
        except (LookupError, ValueError) as e:
            return error(400, 0, f"Discord would not send that interaction: {e}")
        guild_id = int(payload.get("guild_id") or 0)
        session = state.gateway.for_guild(guild_id) if guild_id else state.gateway.for_dms()
        if session is None:
            return error(409, 0, "no gateway session would receive that interaction")
        rec = InteractionRecord(payload)
        state.interactions[int(payload["id"])] = state.by_token[payload["token"]] = rec
        await session.dispatch("INTERACTION_CREATE", payload)
        # sent: from here on the time is the bot's (but for the age it already had)
        rec.created = time.monotonic() - float(body.get("age", 0))
        wait = float(request.query.get("wait", 0))
        if wait:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(rec.answered.wait(), wait)
        if request.query.get("brief"):  # just the outcome (the benchmark's many requests)
            kinds = [c["type"] for c in rec.callbacks]
            return ok({"id": payload["id"], "callbacks": kinds, "latency_ms": rec.latency_ms})
        return ok(rec.view())

    @r.get("/_control/interactions/{id}")
    async def interaction(request: web.Request) -> web.Response:
        rec = state.interactions.get(int(request.match_info["id"]))
        return ok(rec.view()) if rec else error(404, 0, "no such interaction")

    @r.get("/_control/messages")
    async def messages(request: web.Request) -> web.Response:
        q = request.query
        return ok([m for m in state.messages
                   if q.get("channel_id") in (None, m["message"]["channel_id"], m["parent_id"])
                   and q.get("guild_id") in (None, m["message"].get("guild_id"))])  # fmt: skip

    @r.post("/_control/limits")
    async def limits(request: web.Request) -> web.Response:
        state.limits.configure(await request.json())
        return ok({"ok": True})

    @r.post("/_control/faults")
    async def faults(request: web.Request) -> web.Response:
        state.faults.append(Fault(**await request.json()))
        return ok({"ok": True})

    @r.delete("/_control/faults")
    async def clear_faults(_: web.Request) -> web.Response:
        state.faults.clear()
        return ok({"ok": True})

    @r.post("/_control/clock")
    async def clock(request: web.Request) -> web.Response:
        body = await request.json()
        state.skew += float(body.get("advance", 0))
        state.nonce_window = float(body.get("nonce_window", state.nonce_window))
        return ok({"skew": state.skew, "nonce_window": state.nonce_window})

    @r.get("/_control/stats")
    async def stats(_: web.Request) -> web.Response:
        lim = state.limits
        return ok({
            "requests": lim.requests, "limited": lim.limited, "past_429": lim.past_429,
            "invalid": lim.invalid, "identifies": state.gateway.identifies,
            "messages": len(state.messages), "interactions": len(state.interactions),
            "syncs": state.syncs, "refused_syncs": state.refused_syncs,
            "sessions": [[s.shard, s.shards] for s in state.gateway.sessions if not s.ws.closed],
        })  # fmt: skip

    @r.get("/_control/log")
    async def log(_: web.Request) -> web.Response:
        return ok(state.limits.log)

    @r.get("/_control/commands")
    async def commands(_: web.Request) -> web.Response:
        return ok(state.commands)

    @r.post("/_control/reset")
    async def reset(_: web.Request) -> web.Response:
        state.messages.clear()
        state.by_id.clear()
        state.nonces.clear()
        for tid in state.threads.values():
            ch = state.channels.pop(tid, None)
            if ch is not None:
                state.guilds[ch.guild_id].channels.pop(tid, None)
        state.threads.clear()
        state.interactions.clear()
        state.by_token.clear()
        state.faults.clear()
        state.skew, state.nonce_window = 0.0, NONCE_WINDOW
        state.limits.configure({})
        state.limits.reset_stats()
        return ok({"ok": True})

    return r


async def _tell(state: State, guild_id: int, event: str, data: dict[str, object]) -> None:
    """A gateway event to the session that holds the guild, if one does."""
    session = state.gateway.for_guild(guild_id)
    if session is not None:
        await session.dispatch(event, data)
