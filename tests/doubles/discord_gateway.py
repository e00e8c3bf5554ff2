"""The stand-in's gateway: HELLO, IDENTIFY → READY and GUILD_CREATE, heartbeats, dispatches.

Frames are uncompressed JSON text (discord.py asks for zlib-stream but only inflates binary
frames). Each identified connection is a session for one shard; events for a guild go to the
session whose shard holds it, as Discord routes them.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.doubles.discord_payloads import shard_of, to_json

HELLO, IDENTIFY, HEARTBEAT, HEARTBEAT_ACK, RESUME, INVALID_SESSION, DISPATCH = 10, 2, 1, 11, 6, 9, 0
HEARTBEAT_INTERVAL_MS = 41250


@dataclass
class Session:
    ws: web.WebSocketResponse
    shard: int = 0
    shards: int = 1
    session_id: str = field(default_factory=lambda: secrets.token_hex(16))
    seq: int = 0
    ready: bool = False

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        self.seq += 1
        frame = to_json({"op": DISPATCH, "t": event, "s": self.seq, "d": data})
        await self.ws.send_str(frame.decode())

    def holds(self, guild_id: int) -> bool:
        return self.ready and shard_of(guild_id, self.shards) == self.shard


@dataclass
class Gateway:
    """READY's data and the GUILD_CREATEs of a session come from the REST state."""

    token: Callable[[], str]
    ready_payload: Callable[[Session, str], dict[str, Any]]
    guilds: Callable[[Session], list[dict[str, Any]]]
    sessions: list[Session] = field(default_factory=list)
    identifies: int = 0

    def for_guild(self, guild_id: int) -> Session | None:
        """The newest session of the guild's shard (a process that died leaves an old one)."""
        return next(
            (s for s in reversed(self.sessions) if s.holds(guild_id) and not s.ws.closed), None
        )

    async def close_all(self) -> None:
        for s in list(self.sessions):
            await s.ws.close(code=1001, message=b"going away")

    def for_dms(self) -> Session | None:
        """Direct messages come to shard 0, as on Discord."""
        live = [s for s in self.sessions if s.ready and s.shard == 0 and not s.ws.closed]
        return live[-1] if live else None

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=None, max_msg_size=0)
        await ws.prepare(request)
        session = Session(ws)
        await ws.send_str(
            json.dumps({"op": HELLO, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}})
        )
        gateway_url = str(request.url.with_query(None))
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                await self._on_frame(session, json.loads(msg.data), gateway_url)
        finally:
            if session in self.sessions:
                self.sessions.remove(session)
        return ws

    async def _on_frame(self, session: Session, frame: dict[str, Any], gateway_url: str) -> None:
        op, data = frame.get("op"), frame.get("d") or {}
        if op == HEARTBEAT:
            await asyncio.sleep(0.02)  # a network's worth: an instant ACK races discord.py's clock
            await session.ws.send_str(json.dumps({"op": HEARTBEAT_ACK}))
        elif op == IDENTIFY:
            if data.get("token") != self.token():
                await session.ws.close(code=4004, message=b"Authentication failed.")
                return
            session.shard, session.shards = data.get("shard") or [0, 1]
            self.identifies += 1
            await session.dispatch("READY", self.ready_payload(session, gateway_url))
            session.ready = True
            self.sessions.append(session)
            for g in self.guilds(session):
                await session.dispatch("GUILD_CREATE", g)
        elif op == RESUME:  # sessions are not kept: ask for a fresh IDENTIFY, as Discord may
            await asyncio.sleep(0.1)
            await session.ws.send_str(json.dumps({"op": INVALID_SESSION, "d": False}))
