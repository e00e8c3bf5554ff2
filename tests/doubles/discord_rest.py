"""The stand-in's state and its channel routes (`/api/v10/...`), the ones the aidigest bot uses.

Every request goes through one middleware (discord_server.py) that does what Discord's edge does:
authenticate the bot token, apply injected faults, count rate limits (discord_limits.py), and
answer with the `Via` header and a bare `application/json` content type. The routes refuse what
Discord refuses, with Discord's codes: 10003 Unknown Channel, 50001 Missing Access (no View
Channel), 50013 Missing Permissions, 50006 Cannot send an empty message, 50035 Invalid Form Body,
160004 a thread already exists. Without Read Message History a channel's history is empty (not an
error), as documented; without Embed Links an embed-only message is refused and embeds next to
content are dropped. `enforce_nonce` returns the earlier message only within NONCE_WINDOW.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, web
from aiohttp.hdrs import CONTENT_DISPOSITION

from tests.doubles import discord_guilds as g
from tests.doubles import discord_payloads as p
from tests.doubles import discord_rules as rules
from tests.doubles.discord_gateway import Gateway, Session
from tests.doubles.discord_limits import RateLimits

API = "/api/v10"
ARRIVED = web.RequestKey("arrived", float)
INTERACTION_TTL = 3.0  # seconds Discord waits for the first response to an interaction
# Discord de-duplicates an enforced nonce "in the past few minutes" (docs: Create Message); the
# stand-in takes the short end of "few", so a client that counts on more is caught here.
NONCE_WINDOW = 120.0
Json = dict[str, Any]
CODES = {  # Discord's JSON error codes for the faults a test injects by status alone
    401: (0, "401: Unauthorized"), 403: (50013, "Missing Permissions"),
    404: (10003, "Unknown Channel"), 429: (0, "You are being rate limited."),
}  # fmt: skip


@dataclass
class Fault:
    route: str  # a template, e.g. "POST /channels/{channel_id}/messages"
    major: str = ""  # only this channel/guild/webhook, when set
    status: int = 0  # answer this instead (0: answer normally)
    code: int | None = None  # Discord's JSON error code (default: the usual one for `status`)
    message: str = ""
    delay: float = 0.0  # seconds before answering
    retry_after: float = 1.0  # for status 429
    times: int = 1  # how many requests it hits; -1 = all
    lost: bool = False  # do the work, then (after `delay`) lose the answer: `status` or a drop


@dataclass
class InteractionRecord:
    payload: Json
    created: float = field(default_factory=time.monotonic)
    callbacks: list[Json] = field(default_factory=list)
    followups: list[Json] = field(default_factory=list)
    edits: list[Json] = field(default_factory=list)
    answered: asyncio.Event = field(default_factory=asyncio.Event)
    latency_ms: float | None = None
    refused: list[Json] = field(default_factory=list)  # answers Discord refused, and why
    messages: list[Json] = field(default_factory=list)  # the answer's messages, original first

    def view(self) -> Json:
        return {"id": self.payload["id"], "token": self.payload["token"],
                "callbacks": self.callbacks, "followups": self.followups, "edits": self.edits,
                "latency_ms": self.latency_ms, "refused": self.refused,
                "messages": self.messages}  # fmt: skip


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    hdrs = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=p.to_json(data), status=status, headers=hdrs)


def error(status: int, code: int, message: str, **extra: Any) -> web.Response:
    return json_response({"code": code, "message": message, **extra}, status)


def invalid_form(problems: list[str]) -> web.Response:
    return error(400, 50035, "Invalid Form Body", errors=problems)


EMPTY = (400, 50006, "Cannot send an empty message")


async def read_body(request: web.Request) -> tuple[Json, list[Json]]:
    """JSON, or multipart with `payload_json` and `files[n]` as discord.py sends attachments."""
    if not request.content_type.startswith("multipart/"):
        return (await request.json(loads=p.from_json) if request.can_read_body else {}), []
    payload: Json = {}
    files: list[Json] = []
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader):
            continue
        name, filename = _disposition(part)
        if name == "payload_json":
            payload = p.from_json(await part.text())
        elif filename:
            part.chunk_size = 1 << 16  # a chart in a few reads, not dozens
            data = await part.read()
            files.append({"field": name, "filename": filename, "size": len(data),
                          "content_type": part.headers.get("Content-Type", ""),
                          "png": data[:8] == b"\x89PNG\r\n\x1a\n"})  # fmt: skip
    return payload, files


# Content-Disposition as discord.py (aiohttp's FormData) writes it, with plain names.
_FORM_DATA = re.compile(r'form-data; name="([\w.\[\]-]+)"(?:; filename="([\w.\[\]-]+)")?', re.A)


def _disposition(part: BodyPartReader) -> tuple[str | None, str | None]:
    """The part's (name, filename), as aiohttp's reader gives them; read by one pattern when the
    header is the plain form (aiohttp parses it again for each, a third of an answer with
    charts), by aiohttp's own parser otherwise."""
    if m := _FORM_DATA.fullmatch(part.headers.get(CONTENT_DISPOSITION, "")):
        return m.group(1), m.group(2)
    return part.name, part.filename


class State:
    def __init__(self, token: str) -> None:
        self.token = token
        self.app_id = p.snowflake()
        self.bot = p.user(self.app_id, "aidigest", bot=True)  # a bot's user id is its app id
        self.guilds: dict[int, g.Guild] = {}
        self.channels: dict[int, g.Channel] = {}
        self.messages: list[Json] = []
        self.by_id: dict[str, Json] = {}  # every message of the bot, channel or answer, by id
        self.nonces: dict[str, tuple[float, Json]] = {}  # nonce -> (when, message)
        self.nonce_window = NONCE_WINDOW
        self.skew = 0.0  # seconds the stand-in's clock is ahead (POST /_control/clock)
        self.threads: dict[int, int] = {}  # message id -> thread id
        self.interactions: dict[int, InteractionRecord] = {}
        self.by_token: dict[str, InteractionRecord] = {}
        self.commands: dict[str, list[Json]] = {}  # "global" or guild id -> definitions
        self.syncs: list[str] = []
        self.refused_syncs: list[Json] = []
        self.faults: list[Fault] = []
        self.limits = RateLimits()
        self.gateway = Gateway(lambda: self.token, self._ready, self._guilds_of)

    def now(self) -> float:
        return time.time() + self.skew

    def _ready(self, s: Session, url: str) -> Json:
        return {"v": 10, "user": self.bot, "session_id": s.session_id, "resume_gateway_url": url,
                "shard": [s.shard, s.shards], "application": {"id": str(self.app_id), "flags": 0},
                "guilds": [{"id": str(gid), "unavailable": True} for gid in self.guilds
                           if p.shard_of(gid, s.shards) == s.shard]}  # fmt: skip

    def _guilds_of(self, s: Session) -> list[Json]:
        return [
            guild.payload(self.bot)
            for guild in self.guilds.values()
            if p.shard_of(guild.id, s.shards) == s.shard
        ]

    def record_message(self, channel: g.Channel, body: Json, files: list[Json]) -> Json:
        msg = p.message(p.snowflake(), channel, self.bot, body, files)
        self.by_id[msg["id"]] = msg
        self.messages.append({"message": msg, "files": files, "t": time.time(),
                              "allowed_mentions": body.get("allowed_mentions"),
                              "would_ping": p.would_ping(body), "thread": channel.type == 11,
                              "parent_id": str(channel.parent_id or "")})  # fmt: skip
        return msg

    def channel(self, request: web.Request) -> g.Channel | None:
        return self.channels.get(int(request.match_info["channel_id"]))

    def refusal(self, ch: g.Channel | None, need: int) -> web.Response | None:
        """Discord's answer when the bot may not do `need` in `ch`, else None."""
        if ch is None:
            return error(404, 10003, "Unknown Channel")
        have = self.guilds[ch.guild_id].bot_permissions_in(ch)
        if not have & g.VIEW_CHANNEL:
            return error(403, 50001, "Missing Access")
        return None if have & need == need else error(403, 50013, "Missing Permissions")

    def find_message(self, mid: str) -> Json | None:
        """A message of the bot: in a channel, or an interaction's answer (ephemeral ones too)."""
        return self.by_id.get(mid)

    def answered_with(self, rec: InteractionRecord, msg: Json) -> Json:
        """`msg` is one of `rec`'s answer messages."""
        rec.messages.append(msg)
        self.by_id[msg["id"]] = msg
        return msg

    def delete_channel(self, cid: int) -> g.Channel | None:
        """The channel and its threads gone, as when someone deletes it in Discord."""
        ch = self.channels.pop(cid, None)
        if ch is None:
            return None
        self.guilds[ch.guild_id].channels.pop(cid, None)
        for tid, thread in list(self.channels.items()):
            if thread.parent_id == cid:
                self.channels.pop(tid)
                self.guilds[ch.guild_id].channels.pop(tid, None)
        return ch


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

    @r.get(API + "/channels/{channel_id}")
    async def get_channel(request: web.Request) -> web.Response:
        ch = state.channel(request)
        if (no := state.refusal(ch, 0)) is not None or ch is None:
            return no or error(404, 10003, "Unknown Channel")
        return json_response(ch.payload())

    @r.post(API + "/channels/{channel_id}/messages")
    async def create_message(request: web.Request) -> web.Response:
        ch = state.channel(request)
        send = g.SEND_MESSAGES_IN_THREADS if ch and ch.type == 11 else g.SEND_MESSAGES
        if (no := state.refusal(ch, send)) is not None or ch is None:
            return no or error(404, 10003, "Unknown Channel")
        body, files = await read_body(request)
        if problems := rules.message_problems(body, {f["filename"] for f in files}):
            return invalid_form(problems)
        if rules.is_empty(body, files):
            return error(*EMPTY)
        have = state.guilds[ch.guild_id].bot_permissions_in(ch)
        if files and not have & g.ATTACH_FILES:
            return error(403, 50013, "Missing Permissions")
        if body.get("embeds") and not have & g.EMBED_LINKS:
            if not (body.get("content") or files or body.get("components")):
                return error(403, 50013, "Missing Permissions")
            body = {**body, "embeds": []}  # shown without them, as Discord does
        nonce = str(body.get("nonce") or "")
        earlier = state.nonces.get(nonce) if body.get("enforce_nonce") and nonce else None
        if earlier and state.now() - earlier[0] < state.nonce_window:
            return json_response(earlier[1])  # Discord's idempotent create
        msg = state.record_message(ch, body, files)
        if nonce:
            state.nonces[nonce] = (state.now(), msg)
        return json_response(msg)

    @r.get(API + "/channels/{channel_id}/messages")
    async def history(request: web.Request) -> web.Response:
        ch = state.channel(request)
        if (no := state.refusal(ch, 0)) is not None or ch is None:
            return no or error(404, 10003, "Unknown Channel")
        if not state.guilds[ch.guild_id].bot_can(ch, g.READ_MESSAGE_HISTORY):
            return json_response([])  # documented: "no messages will be returned"
        cid = str(ch.id)
        limit = int(request.query.get("limit", 50))
        before = int(request.query.get("before", 1 << 63))
        mine = [m["message"] for m in reversed(state.messages) if m["message"]["channel_id"] == cid]
        # Discord returns no nonce when reading history: a client cannot find a message by it.
        out = [{**m, "nonce": None} for m in mine if int(m["id"]) < before][:limit]
        return json_response(out)

    @r.post(API + "/channels/{channel_id}/messages/{message_id}/threads")
    async def create_thread(request: web.Request) -> web.Response:
        ch = state.channel(request)
        mid = int(request.match_info["message_id"])
        if (no := state.refusal(ch, g.CREATE_PUBLIC_THREADS)) is not None or ch is None:
            return no or error(404, 10003, "Unknown Channel")
        if str(mid) not in state.by_id:
            return error(404, 10008, "Unknown Message")
        if mid in state.threads:
            return error(400, 160004, "A thread has already been created for this message")
        body = await request.json()
        thread = g.Channel(mid, ch.guild_id, str(body.get("name", ""))[:100], 11, parent_id=ch.id)
        state.channels[mid] = state.guilds[ch.guild_id].channels[mid] = thread
        state.threads[mid] = mid  # a thread started from a message has the message's id
        return json_response(thread.payload(), 201)

    return r
