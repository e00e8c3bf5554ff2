"""The stand-in's state and REST routes (`/api/v10/...`), the ones the aidigest bot uses.

Every request goes through one middleware that does what Discord's edge does: authenticate the
bot token, apply injected faults, count rate limits (discord_limits.py), and answer with the
`Via` header and a bare `application/json` content type (discord.py treats anything else as text).
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, web

from tests.doubles import discord_payloads as p
from tests.doubles.discord_gateway import Gateway, Session
from tests.doubles.discord_limits import RateLimits

API = "/api/v10"
ARRIVED = web.RequestKey("arrived", float)
INTERACTION_TTL = 3.0  # seconds Discord waits for the first response to an interaction
Json = dict[str, Any]


@dataclass
class Fault:
    route: str  # a template, e.g. "POST /channels/{channel_id}/messages"
    major: str = ""  # only this channel/guild/webhook, when set
    status: int = 0  # answer this instead (0: answer normally)
    delay: float = 0.0  # seconds before answering
    retry_after: float = 1.0  # for status 429
    times: int = 1  # how many requests it hits; -1 = all


@dataclass
class InteractionRecord:
    payload: Json
    created: float = field(default_factory=time.monotonic)
    callbacks: list[Json] = field(default_factory=list)
    followups: list[Json] = field(default_factory=list)
    edits: list[Json] = field(default_factory=list)
    answered: asyncio.Event = field(default_factory=asyncio.Event)
    latency_ms: float | None = None

    def view(self) -> Json:
        return {"id": self.payload["id"], "token": self.payload["token"],
                "callbacks": self.callbacks, "followups": self.followups, "edits": self.edits,
                "latency_ms": self.latency_ms}  # fmt: skip


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    hdrs = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=json.dumps(data).encode(), status=status, headers=hdrs)


def error(status: int, code: int, message: str, **extra: Any) -> web.Response:
    return json_response({"code": code, "message": message, **extra}, status)


async def read_body(request: web.Request) -> tuple[Json, list[Json]]:
    """JSON, or multipart with `payload_json` and `files[n]` as discord.py sends attachments."""
    if not request.content_type.startswith("multipart/"):
        return (await request.json() if request.can_read_body else {}), []
    payload: Json = {}
    files: list[Json] = []
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader):
            continue
        if part.name == "payload_json":
            payload = json.loads(await part.text())
        elif part.filename:
            data = await part.read()
            files.append({"field": part.name, "filename": part.filename, "size": len(data),
                          "content_type": part.headers.get("Content-Type", ""),
                          "png": data[:8] == b"\x89PNG\r\n\x1a\n"})  # fmt: skip
    return payload, files


class State:
    def __init__(self, token: str) -> None:
        self.token = token
        self.app_id = p.snowflake()
        self.bot = p.user(self.app_id, "aidigest", bot=True)  # a bot's user id is its app id
        self.guilds: dict[int, p.Guild] = {}
        self.channels: dict[int, p.Channel] = {}
        self.messages: list[Json] = []
        self.nonces: dict[tuple[int, str], Json] = {}
        self.threads: dict[int, int] = {}  # message id -> thread id
        self.interactions: dict[int, InteractionRecord] = {}
        self.by_token: dict[str, InteractionRecord] = {}
        self.commands: dict[str, list[Json]] = {}  # "global" or guild id -> definitions
        self.syncs: list[str] = []
        self.faults: list[Fault] = []
        self.limits = RateLimits()
        self.gateway = Gateway(lambda: self.token, self._ready, self._guilds_of)

    def _ready(self, s: Session, url: str) -> Json:
        return {"v": 10, "user": self.bot, "session_id": s.session_id, "resume_gateway_url": url,
                "shard": [s.shard, s.shards], "application": {"id": str(self.app_id), "flags": 0},
                "guilds": [{"id": str(g), "unavailable": True} for g in self.guilds
                           if p.shard_of(g, s.shards) == s.shard]}  # fmt: skip

    def _guilds_of(self, s: Session) -> list[Json]:
        return [
            g.payload(self.bot)
            for g in self.guilds.values()
            if p.shard_of(g.id, s.shards) == s.shard
        ]

    def record_message(self, channel: p.Channel, body: Json, files: list[Json]) -> Json:
        msg = p.message(p.snowflake(), channel, self.bot, body, files)
        self.messages.append({"message": msg, "files": files, "t": time.time(),
                              "allowed_mentions": body.get("allowed_mentions"),
                              "would_ping": p.would_ping(body), "thread": channel.type == 11,
                              "parent_id": str(channel.parent_id or "")})  # fmt: skip
        return msg


def routes(state: State) -> web.RouteTableDef:
    r = web.RouteTableDef()

    @r.get(API + "/users/@me")
    async def me(_: web.Request) -> web.Response:
        return json_response(state.bot)

    @r.get(API + "/oauth2/applications/@me")
    async def application(_: web.Request) -> web.Response:
        return json_response({"id": str(state.app_id), "name": "aidigest", "description": "",
                              "icon": None, "bot_public": True, "bot_require_code_grant": False,
                              "owner": p.user(1, "owner"), "verify_key": "0" * 64, "flags": 0,
                              "summary": "", "rpc_origins": [], "team": None})  # fmt: skip

    @r.get(API + "/gateway/bot")
    async def gateway_bot(request: web.Request) -> web.Response:
        url = f"ws://{request.host}/gateway"
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return json_response({"url": url, "shards": 1, "session_start_limit": limit})

    @r.get(API + "/applications/{application_id}/commands")
    @r.get(API + "/applications/{application_id}/guilds/{guild_id}/commands")
    async def get_commands(request: web.Request) -> web.Response:
        return json_response(state.commands.get(request.match_info.get("guild_id", "global"), []))

    @r.put(API + "/applications/{application_id}/commands")
    @r.put(API + "/applications/{application_id}/guilds/{guild_id}/commands")
    async def put_commands(request: web.Request) -> web.Response:
        scope = request.match_info.get("guild_id", "global")
        defs = await request.json()
        out = [{**d, "id": str(p.snowflake()), "application_id": str(state.app_id), "version": "1",
                **({"guild_id": scope} if scope != "global" else {})} for d in defs]  # fmt: skip
        state.commands[scope] = out
        state.syncs.append(scope)
        return json_response(out)

    @r.get(API + "/channels/{channel_id}")
    async def get_channel(request: web.Request) -> web.Response:
        ch = state.channels.get(int(request.match_info["channel_id"]))
        if ch is None:
            return error(404, 10003, "Unknown Channel")
        return json_response(ch.payload(state.guilds[ch.guild_id].bot_role))

    @r.post(API + "/channels/{channel_id}/messages")
    async def create_message(request: web.Request) -> web.Response:
        ch = state.channels.get(int(request.match_info["channel_id"]))
        if ch is None:
            return error(404, 10003, "Unknown Channel")
        bits = p.SEND_MESSAGES_IN_THREADS if ch.type == 11 else p.SEND_MESSAGES
        if not state.guilds[ch.guild_id].bot_can(ch, bits | p.VIEW_CHANNEL):
            return error(403, 50013, "Missing Permissions")
        body, files = await read_body(request)
        problems = p.embed_problems(body, {f["filename"] for f in files})
        if problems:
            return error(400, 50035, "Invalid Form Body", errors=problems)
        nonce = str(body.get("nonce") or "")
        if body.get("enforce_nonce") and (ch.id, nonce) in state.nonces:
            return json_response(state.nonces[(ch.id, nonce)])  # Discord's idempotent create
        msg = state.record_message(ch, body, files)
        if nonce:
            state.nonces[(ch.id, nonce)] = msg
        return json_response(msg)

    @r.get(API + "/channels/{channel_id}/messages")
    async def history(request: web.Request) -> web.Response:
        cid = request.match_info["channel_id"]
        limit = int(request.query.get("limit", 50))
        before = int(request.query.get("before", 1 << 63))
        mine = [m["message"] for m in reversed(state.messages) if m["message"]["channel_id"] == cid]
        # Discord returns no nonce when reading history: a client cannot find a message by it.
        out = [{**m, "nonce": None} for m in mine if int(m["id"]) < before][:limit]
        return json_response(out)

    @r.post(API + "/channels/{channel_id}/messages/{message_id}/threads")
    async def create_thread(request: web.Request) -> web.Response:
        ch = state.channels.get(int(request.match_info["channel_id"]))
        mid = int(request.match_info["message_id"])
        if ch is None:
            return error(404, 10003, "Unknown Channel")
        if not any(m["message"]["id"] == str(mid) for m in state.messages):
            return error(404, 10008, "Unknown Message")
        if not state.guilds[ch.guild_id].bot_can(ch, p.CREATE_PUBLIC_THREADS):
            return error(403, 50013, "Missing Permissions")
        if mid in state.threads:
            return error(400, 160004, "A thread has already been created for this message")
        body = await request.json()
        thread = p.Channel(mid, ch.guild_id, str(body.get("name", ""))[:100], 11, parent_id=ch.id)
        state.channels[mid] = thread
        state.threads[mid] = mid  # a thread started from a message has the message's id
        return json_response(thread.payload(0), 201)

    @r.post(API + "/interactions/{interaction_id}/{token}/callback")
    async def callback(request: web.Request) -> web.Response:
        rec = state.interactions.get(int(request.match_info["interaction_id"]))
        if rec is None or rec.payload["token"] != request.match_info["token"]:
            return error(404, 10062, "Unknown interaction")
        body, files = await read_body(request)
        if rec.callbacks:
            return error(400, 40060, "Interaction has already been acknowledged.")
        arrived = request.get(ARRIVED, time.monotonic())  # set first thing by the middleware
        if arrived - rec.created > INTERACTION_TTL:
            return error(404, 10062, "Unknown interaction")
        data = body.get("data") or {}
        problems = p.embed_problems(data, {f["filename"] for f in files})
        if problems:
            return error(400, 50035, "Invalid Form Body", errors=problems)
        rec.latency_ms = (arrived - rec.created) * 1000
        rec.callbacks.append({"type": body.get("type"), "data": data, "files": files,
                              "would_ping": p.would_ping(data)})  # fmt: skip
        rec.answered.set()
        if body.get("type") == 8 or request.query.get("with_response") not in ("1", "true"):
            return web.Response(status=204, headers={"Via": "1.1 google"})
        ch = state.channels[int(rec.payload["channel_id"])]
        msg = p.message(p.snowflake(), ch, state.bot, data, files)
        return json_response({"interaction": {"id": rec.payload["id"], "type": rec.payload["type"],
                                              "response_message_id": msg["id"],
                                              "response_message_loading": body.get("type") == 5,
                                              "response_message_ephemeral": bool(
                                                  data.get("flags", 0) & 64)},
                              "resource": {"type": body.get("type"), "message": msg}})  # fmt: skip

    @r.post(API + "/webhooks/{webhook_id}/{token}")
    @r.patch(API + "/webhooks/{webhook_id}/{token}/messages/{message_id}")
    async def followup(request: web.Request) -> web.Response:
        rec = state.by_token.get(request.match_info["token"])
        if (
            rec is None
            or not rec.callbacks
            or request.match_info["webhook_id"] != str(state.app_id)
        ):
            return error(404, 10015, "Unknown Webhook")
        body, files = await read_body(request)
        problems = p.embed_problems(body, {f["filename"] for f in files})
        if problems:
            return error(400, 50035, "Invalid Form Body", errors=problems)
        entry = {"data": body, "files": files, "would_ping": p.would_ping(body)}
        (rec.edits if request.method == "PATCH" else rec.followups).append(entry)
        ch = state.channels[int(rec.payload["channel_id"])]
        return json_response(p.message(p.snowflake(), ch, state.bot, body, files))

    @r.delete(API + "/webhooks/{webhook_id}/{token}/messages/{message_id}")
    async def delete_response(request: web.Request) -> web.Response:
        rec = state.by_token.get(request.match_info["token"])
        if rec is None or not rec.callbacks:
            return error(404, 10008, "Unknown Message")
        rec.edits.append({"deleted": request.match_info["message_id"]})
        return web.Response(status=204)

    return r
