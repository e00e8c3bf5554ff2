"""INTERACTION_CREATE payloads as Discord builds them, for the commands the bot has synced.

Options are typed by the synced definition (Discord only sends interactions for registered
commands): strings, booleans, channels (with `resolved` data); `focused` makes an autocomplete.
"""

from __future__ import annotations

import secrets
from typing import Any

from tests.doubles import discord_payloads as p
from tests.doubles.discord_rest import State

Json = dict[str, Any]


def interaction_payload(state: State, body: Json) -> Json:
    """An INTERACTION_CREATE payload for a synced command, options typed by its definition."""
    guild = state.guilds[int(body["guild_id"])]
    ch = state.channels[int(body.get("channel_id") or next(iter(guild.channels)))]
    name = body.get("command", "aidigest")
    defs = state.commands.get(str(guild.id), []) + state.commands.get("global", [])
    cmd = next((d for d in defs if d["name"] == name), None)
    if cmd is None:
        raise LookupError(f"command {name!r} is not synced")
    focused, sub = body.get("focused"), body.get("subcommand")
    opt_defs = cmd.get("options", [])
    if sub:
        opt_defs = next(o for o in opt_defs if o["name"] == sub).get("options", [])
    options, resolved = [], {}
    perms = int(body.get("permissions", p.MEMBER_DEFAULT))
    for key, value in (body.get("options") or {}).items():
        kind = next(o for o in opt_defs if o["name"] == key)["type"]
        opt: Json = {"name": key, "type": kind, "value": value}
        if key == focused:
            opt["focused"] = True
        elif kind == 7:
            target = state.channels[int(value)]
            resolved[str(value)] = {**target.payload(guild.bot_role), "permissions": str(perms)}
        options.append(opt)
    data: Json = {
        "id": cmd["id"],
        "name": name,
        "type": 1,
        "options": [{"name": sub, "type": 1, "options": options}] if sub else options,
    }
    if resolved:
        data["resolved"] = {"channels": resolved}
    if "guild_id" in cmd:
        data["guild_id"] = cmd["guild_id"]
    uid = int(body.get("user_id") or p.snowflake())
    member = {
        "user": p.user(uid, "someone"),
        "roles": [],
        "permissions": str(perms),
        "joined_at": p.now_iso(),
        "deaf": False,
        "mute": False,
        "flags": 0,
        "nick": None,
    }
    channel = {**ch.payload(guild.bot_role), "permissions": str(perms)}
    return {
        "id": str(p.snowflake()), "application_id": str(state.app_id), "type": 4 if focused else 2,
        "token": secrets.token_urlsafe(32), "version": 1, "data": data, "guild_id": str(guild.id),
        "guild": {"id": str(guild.id), "locale": guild.locale, "features": []},
        "channel_id": str(ch.id), "channel": channel,
        "member": member, "app_permissions": str(guild.bot_permissions),
        "locale": body.get("locale", "en-US"), "guild_locale": guild.locale, "entitlements": [],
        "authorizing_integration_owners": {"0": str(guild.id)}, "context": 0,
        "attachment_size_limit": 10 * 1024 * 1024,
    }  # fmt: skip
