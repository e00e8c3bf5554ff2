"""JSON shapes of the Discord API objects the stand-in serves (guilds and channels: discord_guilds).

Only the fields discord.py reads (and a few it tolerates missing) are filled in; the values follow
the API reference so that the real client parses them as it would Discord's.
"""

from __future__ import annotations

import itertools
import re
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from tests.doubles.discord_guilds import Channel

DISCORD_EPOCH_MS = 1420070400000
_counter = itertools.count()


def snowflake(at: float | None = None) -> int:
    """A fresh id shaped like Discord's: milliseconds since 2015 (of `at`, default now) on top."""
    ms = int((time.time() if at is None else at) * 1000) - DISCORD_EPOCH_MS
    return (ms << 22) | (next(_counter) & 0x3FFFFF)


def shard_of(guild_id: int, shard_count: int) -> int:
    return (guild_id >> 22) % max(shard_count, 1)


def to_json(data: Any) -> bytes:
    """JSON as the stand-in sends it (gateway events, REST bodies). orjson, as discord.py's own
    reading of it: the stand-in shares the benchmark's cores with the bot, and json.dumps of
    every answer echoed back was near a tenth of its time."""
    return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)


def from_json(raw: str | bytes) -> Any:
    """What a client sent: JSON (orjson is as strict as Discord: no NaN, no trailing commas)."""
    return orjson.loads(raw)


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def user(uid: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(uid), "username": name, "discriminator": "0", "global_name": name,
        "avatar": None, "bot": bot, "flags": 0, "public_flags": 0,
    }  # fmt: skip


def message(
    mid: int,
    channel: Channel,
    author: dict[str, Any],
    body: dict[str, Any],
    files: list[dict[str, Any]],
) -> dict[str, Any]:
    attachments = [
        {
            "id": str(snowflake()), "filename": f["filename"], "size": f["size"],
            "url": f"https://cdn.discordapp.com/attachments/{channel.id}/{mid}/{f['filename']}",
            "proxy_url": f"https://media.discordapp.net/attachments/{channel.id}/{mid}/{f['filename']}",
            "content_type": f["content_type"],
        }
        for f in files
    ]  # fmt: skip
    return {
        "id": str(mid), "channel_id": str(channel.id),
        **({"guild_id": str(channel.guild_id)} if channel.guild_id else {}),
        "type": 0, "author": author, "content": body.get("content") or "",
        "embeds": body.get("embeds") or [], "attachments": attachments, "mentions": [],
        "mention_roles": [], "mention_everyone": False, "pinned": False, "tts": False,
        "timestamp": now_iso(), "edited_timestamp": None, "flags": body.get("flags", 0),
        "components": body.get("components") or [], "nonce": body.get("nonce"),
    }  # fmt: skip


def would_ping(body: dict[str, Any]) -> bool:
    """Whether Discord would notify anyone for this message's content (embeds never ping)."""
    text = body.get("content") or ""
    everyone = "@everyone" in text or "@here" in text
    users = re.search(r"<@!?\d+>", text) is not None
    roles = re.search(r"<@&\d+>", text) is not None
    allowed = body.get("allowed_mentions")
    if allowed is None:  # Discord's default: every mention in the content notifies
        return everyone or users or roles
    parse = set(allowed.get("parse", []))
    return (
        (everyone and "everyone" in parse)
        or (users and ("users" in parse or bool(allowed.get("users"))))
        or (roles and ("roles" in parse or bool(allowed.get("roles"))))
    )
