"""Guilds and channels as the stand-in keeps them, with Discord's permission arithmetic.

Permissions follow docs/topics/permissions: the @everyone role's and the bot role's bits, then
the channel's overwrites in Discord's order (@everyone, roles, the member), then the implicit
denials (no View Channel: nothing; no Send Messages: no Embed Links, Attach Files or Mention
Everyone). A thread takes its parent's overwrites.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.doubles.discord_payloads import now_iso

# Permission bits (https://discord.com/developers/docs/topics/permissions).
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
CREATE_PUBLIC_THREADS = 1 << 35
SEND_MESSAGES_IN_THREADS = 1 << 38
ALL = (1 << 51) - 1
BOT_DEFAULT = (
    VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY
    | CREATE_PUBLIC_THREADS | SEND_MESSAGES_IN_THREADS
)  # fmt: skip
MEMBER_DEFAULT = VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY
NEEDS_SEND = EMBED_LINKS | ATTACH_FILES | MENTION_EVERYONE
# The control API's channel switches: false takes that permission from the bot's role there.
SWITCHES = {
    "view": VIEW_CHANNEL, "post": SEND_MESSAGES, "threads": CREATE_PUBLIC_THREADS,
    "history": READ_MESSAGE_HISTORY, "files": ATTACH_FILES, "embeds": EMBED_LINKS,
}  # fmt: skip
ROLE, MEMBER = 0, 1


@dataclass
class Overwrite:
    id: int
    type: int  # ROLE or MEMBER
    allow: int = 0
    deny: int = 0

    def payload(self) -> dict[str, Any]:
        return {"id": str(self.id), "type": self.type, "allow": str(self.allow),
                "deny": str(self.deny)}  # fmt: skip


@dataclass
class Channel:
    id: int
    guild_id: int
    name: str
    type: int = 0  # 0 text, 11 public thread
    parent_id: int | None = None
    overwrites: list[Overwrite] = field(default_factory=list)
    position: int = 0

    def payload(self) -> dict[str, Any]:
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
        return {
            "id": str(self.id), "guild_id": str(self.guild_id), "type": self.type,
            "name": self.name, "position": self.position, "nsfw": False, "topic": None,
            "permission_overwrites": [o.payload() for o in self.overwrites],
            "rate_limit_per_user": 0, "parent_id": None,
        }  # fmt: skip


@dataclass
class Guild:
    id: int
    name: str
    bot_user_id: int
    channels: dict[int, Channel] = field(default_factory=dict)
    bot_permissions: int = BOT_DEFAULT  # the bot's role
    everyone_permissions: int = MEMBER_DEFAULT  # the @everyone role
    locale: str = "en-US"

    @property
    def bot_role(self) -> int:
        return self.id + 1  # the integration role Discord gives a bot on invite

    def payload(self, bot: dict[str, Any]) -> dict[str, Any]:
        roles = [
            _role(self.id, "@everyone", self.everyone_permissions, 0),
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
                c.payload() for c in self.channels.values() if c.type != 11
            ],
            "threads": [], "presences": [], "voice_states": [], "preferred_locale": self.locale,
            "joined_at": now_iso(), "premium_tier": 0, "system_channel_flags": 0,
        }  # fmt: skip

    def bot_permissions_in(self, channel: Channel) -> int:
        """The bot's permissions in `channel`, computed as Discord does."""
        base = self.everyone_permissions | self.bot_permissions
        if base & ADMINISTRATOR:
            return ALL
        home = self.channels.get(channel.parent_id or 0, channel) if channel.type == 11 else channel
        for o in _in_order(home.overwrites, self.id, self.bot_role, self.bot_user_id):
            base = (base & ~o.deny) | o.allow
        if not base & VIEW_CHANNEL:
            return 0
        if not base & SEND_MESSAGES:
            base &= ~NEEDS_SEND
        return base

    def bot_can(self, channel: Channel, bits: int) -> bool:
        return self.bot_permissions_in(channel) & bits == bits


def _in_order(
    overwrites: list[Overwrite], everyone: int, role: int, member: int
) -> list[Overwrite]:
    """@everyone's overwrite, then the roles' (denies and allows of all roles at once), then the
    member's own, as Discord applies them."""
    roles = [o for o in overwrites if o.type == ROLE and o.id == role]
    merged = Overwrite(role, ROLE, _or(o.allow for o in roles), _or(o.deny for o in roles))
    return [
        *(o for o in overwrites if o.type == ROLE and o.id == everyone),
        merged,
        *(o for o in overwrites if o.type == MEMBER and o.id == member),
    ]


def _or(bits: Any) -> int:
    out = 0
    for b in bits:
        out |= b
    return out


def channel_overwrites(spec: dict[str, Any], guild: Guild) -> list[Overwrite]:
    """The overwrites a control-API channel spec asks for: its switches (false denies that to
    the bot's role) and any raw `overwrites` ({"id": "everyone"|"bot"|"bot_user"|id, ...})."""
    deny = _or(bit for name, bit in SWITCHES.items() if spec.get(name, True) is False)
    out = [Overwrite(guild.bot_role, ROLE, 0, deny)] if deny else []
    ids = {"everyone": guild.id, "bot": guild.bot_role, "bot_user": guild.bot_user_id}
    for o in spec.get("overwrites") or []:
        oid = ids.get(str(o["id"])) or int(o["id"])
        kind = MEMBER if o["id"] == "bot_user" else int(o.get("type", ROLE))
        out.append(Overwrite(oid, kind, int(o.get("allow", 0)), int(o.get("deny", 0))))
    return out


def _role(rid: int, name: str, perms: int, pos: int, *, managed: bool = False) -> dict[str, Any]:
    return {
        "id": str(rid), "name": name, "permissions": str(perms), "position": pos, "color": 0,
        "hoist": False, "managed": managed, "mentionable": False, "flags": 0,
    }  # fmt: skip
