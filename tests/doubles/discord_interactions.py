"""INTERACTION_CREATE payloads as Discord builds them, only for what Discord would send.

A command or an autocomplete must name a synced command; its options are typed by the synced
definition (an unknown option, a value of the wrong type, or one outside the option's choices is
refused: Discord's client cannot send them). In a DM only commands whose contexts allow DMs can
be used. A component interaction must press a component of a message the bot sent (a channel
message or an interaction's answer), with select values among its options.

    {"guild_id"|"dm": true, "channel_id"?, "subcommand", "options", "focused"?, "permissions"?}
    {"guild_id"|"dm": true, "message_id", "custom_id", "values"?}        a component

plus "age": seconds Discord created it before the gateway delivered it (a lagging connection).
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from tests.doubles import discord_guilds as g
from tests.doubles import discord_payloads as p
from tests.doubles.discord_rest import State

Json = dict[str, Any]
GUILD, BOT_DM = 0, 1
_PYTYPES: dict[int, tuple[type, ...]] = {3: (str,), 4: (int,), 5: (bool,), 10: (int, float)}


def interaction_payload(state: State, body: Json) -> Json:
    """A payload for a synced command or a component of the bot's message; LookupError if
    Discord would never send it."""
    uid = int(body.get("user_id") or p.snowflake())
    perms = int(body.get("permissions", g.MEMBER_DEFAULT))
    where = _dm(state, uid) if body.get("dm") else _in_guild(state, body, uid, perms)
    if "custom_id" in body:
        kind, data, extra = 3, *_component(state, body)
    else:
        kind, data, extra = _command(state, body, perms, dm=bool(body.get("dm")))
    return {
        "id": str(p.snowflake(time.time() - float(body.get("age", 0)))),
        "application_id": str(state.app_id), "type": kind,
        "token": secrets.token_urlsafe(32), "version": 1, "data": data, **where, **extra,
        "locale": body.get("locale", "en-US"), "entitlements": [],
        "attachment_size_limit": 10 * 1024 * 1024,
    }  # fmt: skip


def _in_guild(state: State, body: Json, uid: int, perms: int) -> Json:
    guild = state.guilds[int(body["guild_id"])]
    ch = state.channels[int(body.get("channel_id") or next(iter(guild.channels)))]
    member = {
        "user": p.user(uid, "someone"), "roles": [], "permissions": str(perms),
        "joined_at": p.now_iso(), "deaf": False, "mute": False, "flags": 0, "nick": None,
    }  # fmt: skip
    return {
        "guild_id": str(guild.id), "guild_locale": guild.locale, "context": GUILD,
        "guild": {"id": str(guild.id), "locale": guild.locale, "features": []},
        "channel_id": str(ch.id), "channel": {**ch.payload(), "permissions": str(perms)},
        "member": member, "app_permissions": str(guild.bot_permissions_in(ch)),
        "authorizing_integration_owners": {"0": str(guild.id)},
    }  # fmt: skip


def _dm(state: State, uid: int) -> Json:
    someone = p.user(uid, "someone")
    channel = {"id": str(uid + 1), "type": 1, "recipients": [someone], "last_message_id": None}
    return {
        "channel_id": channel["id"], "channel": channel, "user": someone, "context": BOT_DM,
        "app_permissions": str(g.VIEW_CHANNEL | g.SEND_MESSAGES | g.EMBED_LINKS | g.ATTACH_FILES),
        "authorizing_integration_owners": {"0": str(next(iter(state.guilds), 0))},
    }  # fmt: skip


def _command(state: State, body: Json, perms: int, *, dm: bool) -> tuple[int, Json, Json]:
    name = body.get("command", "aidigest")
    scopes = ["global"] if dm else [str(body["guild_id"]), "global"]
    defs = [d for s in scopes for d in state.commands.get(s, [])]
    cmd = next((d for d in defs if d["name"] == name), None)
    if cmd is None:
        raise LookupError(f"command {name!r} is not synced")
    if dm and not _in_dms(cmd):
        raise LookupError(f"command {name!r} cannot be used in DMs")
    focused, sub = body.get("focused"), body.get("subcommand")
    opt_defs = cmd.get("options", [])
    if sub:
        opt_defs = _named(opt_defs, sub).get("options", [])
    options, resolved = [], {}
    for key, value in (body.get("options") or {}).items():
        spec = _named(opt_defs, key)
        opt: Json = {"name": key, "type": spec["type"], "value": value}
        if key == focused:
            opt["focused"] = True  # what is typed so far: any text
        else:
            _check_value(spec, value)
            if spec["type"] == 7:
                target = state.channels[int(value)]
                resolved[str(value)] = {**target.payload(), "permissions": str(perms)}
        options.append(opt)
    data: Json = {
        "id": cmd["id"], "name": name, "type": 1,
        "options": [{"name": sub, "type": 1, "options": options}] if sub else options,
    }  # fmt: skip
    if resolved:
        data["resolved"] = {"channels": resolved}
    if "guild_id" in cmd:
        data["guild_id"] = cmd["guild_id"]
    return (4 if focused else 2), data, {}


def _in_dms(cmd: Json) -> bool:
    contexts = cmd.get("contexts")
    if contexts is not None:
        return BOT_DM in contexts
    return cmd.get("dm_permission") is not False


def _named(specs: list[Json], name: str) -> Json:
    spec = next((o for o in specs if o["name"] == name), None)
    if spec is None:
        raise LookupError(f"no option {name!r}")
    return spec


def _check_value(spec: Json, value: Any) -> None:
    want = _PYTYPES.get(spec["type"])
    if want is not None and (
        not isinstance(value, want) or isinstance(value, bool) != (want == (bool,))
    ):
        raise LookupError(f"option {spec['name']!r} takes type {spec['type']}, not {value!r}")
    choices = spec.get("choices")
    if choices and value not in [c["value"] for c in choices]:
        raise LookupError(f"{value!r} is not one of the choices of {spec['name']!r}")


def _component(state: State, body: Json) -> tuple[Json, Json]:
    """The data of a press on component `custom_id` of message `message_id`."""
    msg = state.find_message(str(body["message_id"]))
    if msg is None:
        raise LookupError(f"no message {body['message_id']} of the bot")
    found = [
        c for row in msg.get("components") or [] for c in row.get("components") or []
        if c.get("custom_id") == body["custom_id"]
    ]  # fmt: skip
    if not found:
        raise LookupError(f"message {msg['id']} has no component {body['custom_id']!r}")
    comp = found[0]
    data: Json = {"custom_id": comp["custom_id"], "component_type": comp["type"]}
    if comp["type"] == 3:
        values = list(body.get("values") or [])
        offered = [o["value"] for o in comp.get("options") or []]
        if not values or any(v not in offered for v in values):
            raise LookupError(f"values {values!r} are not options of {comp['custom_id']!r}")
        data["values"] = values
    return data, {"message": msg}
