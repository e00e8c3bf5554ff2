"""JSON shapes of the Discord API objects the stand-in serves, and Discord's message limits.

Only the fields discord.py reads (and a few it tolerates missing) are filled in; the values follow
the API reference so that the real client parses them as it would Discord's.
"""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1420070400000
_counter = itertools.count()

# Permission bits (https://discord.com/developers/docs/topics/permissions).
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3
CREATE_PUBLIC_THREADS = 1 << 35
SEND_MESSAGES_IN_THREADS = 1 << 38
BOT_DEFAULT = (
    VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY
    | CREATE_PUBLIC_THREADS | SEND_MESSAGES_IN_THREADS
)  # fmt: skip
MEMBER_DEFAULT = VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY


def snowflake() -> int:
    """A fresh id shaped like Discord's: milliseconds since 2015 in the top bits."""
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    return (ms << 22) | (next(_counter) & 0x3FFFFF)


def shard_of(guild_id: int, shard_count: int) -> int:
    return (guild_id >> 22) % max(shard_count, 1)


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def user(uid: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(uid), "username": name, "discriminator": "0", "global_name": name,
        "avatar": None, "bot": bot, "flags": 0, "public_flags": 0,
    }  # fmt: skip


@dataclass
class Channel:
    id: int
    guild_id: int
    name: str
    type: int = 0  # 0 text, 11 public thread
    parent_id: int | None = None
    deny_bot: int = 0  # permission bits the bot's role loses here (an overwrite)
    position: int = 0

    def payload(self, bot_role: int) -> dict[str, Any]:
        if self.type == 11:
            return {
                "id": str(self.id), "guild_id": str(self.guild_id), "type": 11, "name": self.name,
                "parent_id": str(self.parent_id), "owner_id": "0", "message_count": 0,
                "member_count": 1, "rate_limit_per_user": 0, "flags": 0,
                "thread_metadata": {
                    "archived": False, "auto_archive_duration": 1440, "locked": False,
                    "archive_timestamp": now_iso(), "create_timestamp": now_iso(),
                },
            }  # fmt: skip
        overwrites = (
            [{"id": str(bot_role), "type": 0, "allow": "0", "deny": str(self.deny_bot)}]
            if self.deny_bot
            else []
        )
        return {
            "id": str(self.id), "guild_id": str(self.guild_id), "type": self.type,
            "name": self.name, "position": self.position, "permission_overwrites": overwrites,
            "nsfw": False, "topic": None, "rate_limit_per_user": 0, "parent_id": None,
        }  # fmt: skip


@dataclass
class Guild:
    id: int
    name: str
    bot_user_id: int
    channels: dict[int, Channel] = field(default_factory=dict)
    bot_permissions: int = BOT_DEFAULT
    locale: str = "en-US"

    @property
    def bot_role(self) -> int:
        return self.id + 1  # the integration role Discord gives a bot on invite

    def payload(self, bot: dict[str, Any]) -> dict[str, Any]:
        roles = [
            _role(self.id, "@everyone", MEMBER_DEFAULT, 0),
            _role(self.bot_role, "aidigest", self.bot_permissions, 1, managed=True),
        ]
        me = {
            "user": bot, "roles": [str(self.bot_role)], "joined_at": now_iso(),
            "deaf": False, "mute": False, "flags": 0,
        }  # fmt: skip
        return {
            "id": str(self.id), "name": self.name, "owner_id": "1", "unavailable": False,
            "member_count": 2, "large": False, "features": [], "roles": roles, "emojis": [],
            "stickers": [], "members": [me], "channels": [
                c.payload(self.bot_role) for c in self.channels.values() if c.type != 11
            ],
            "threads": [], "presences": [], "voice_states": [], "preferred_locale": self.locale,
            "joined_at": now_iso(), "premium_tier": 0, "system_channel_flags": 0,
        }  # fmt: skip

    def bot_can(self, channel: Channel, bits: int) -> bool:
        base = channel if channel.type != 11 else self.channels.get(channel.parent_id or 0, channel)
        have = (self.bot_permissions | MEMBER_DEFAULT) & ~base.deny_bot
        return bool(have & ADMINISTRATOR) or have & bits == bits


def _role(rid: int, name: str, perms: int, pos: int, *, managed: bool = False) -> dict[str, Any]:
    return {
        "id": str(rid), "name": name, "permissions": str(perms), "position": pos, "color": 0,
        "hoist": False, "managed": managed, "mentionable": False, "flags": 0,
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
        "id": str(mid), "channel_id": str(channel.id), "guild_id": str(channel.guild_id),
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


# Discord's documented message limits.
MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TOTAL = 6000
_EMBED_FIELD_LIMITS = {"title": 256, "description": 4096}


def embed_problems(body: dict[str, Any], filenames: set[str]) -> list[str]:
    """What Discord would answer 400 Invalid Form Body for, as readable strings."""
    out: list[str] = []
    if len(body.get("content") or "") > MAX_CONTENT:
        out.append(f"content longer than {MAX_CONTENT}")
    embeds = body.get("embeds") or []
    if len(embeds) > MAX_EMBEDS:
        out.append(f"{len(embeds)} embeds, more than {MAX_EMBEDS}")
    total = 0
    for i, e in enumerate(embeds):
        for key, limit in _EMBED_FIELD_LIMITS.items():
            n = len(e.get(key) or "")
            total += n
            if n > limit:
                out.append(f"embeds.{i}.{key}: {n} > {limit}")
        fields = e.get("fields") or []
        if len(fields) > 25:
            out.append(f"embeds.{i}.fields: {len(fields)} > 25")
        for j, f in enumerate(fields):
            total += len(f.get("name", "")) + len(f.get("value", ""))
            if len(f.get("name", "")) > 256 or len(f.get("value", "")) > 1024:
                out.append(f"embeds.{i}.fields.{j} too long")
            if not f.get("name") or not f.get("value"):
                out.append(f"embeds.{i}.fields.{j} is empty")
        footer = (e.get("footer") or {}).get("text", "")
        author = (e.get("author") or {}).get("name", "")
        total += len(footer) + len(author)
        if len(footer) > 2048 or len(author) > 256:
            out.append(f"embeds.{i} footer or author too long")
        for key in ("image", "thumbnail"):
            url = (e.get(key) or {}).get("url", "")
            if (
                url.startswith("attachment://")
                and url.removeprefix("attachment://") not in filenames
            ):
                out.append(f"embeds.{i}.{key}: no attached file {url}")
    if total > MAX_EMBED_TOTAL:
        out.append(f"embeds total {total} characters > {MAX_EMBED_TOTAL}")
    return out
