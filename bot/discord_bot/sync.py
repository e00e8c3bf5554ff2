"""Register the slash commands with Discord only when their definitions changed.

Syncing is a rate-limited write on Discord's side (and a restart loop must not spam it), so the
bot keeps a hash of what it last synced in Redis and syncs at start only when the definitions
differ. `python -m bot.discord_bot sync [--guild ID]` syncs unconditionally.

    {p}:discord:commands:{application_id}:{scope}   sha256 of the synced definitions
                                                    (scope: "global" or a guild id)
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import discord
from discord import app_commands
from redis.asyncio import Redis

from core.store.keys import Keys

log = logging.getLogger(__name__)


def definitions(tree: app_commands.CommandTree[Any], guild: int | None = None) -> list[Any]:
    scope = discord.Object(guild) if guild else None
    return [c.to_dict(tree) for c in tree.get_commands(guild=scope)]


def definitions_hash(tree: app_commands.CommandTree[Any], guild: int | None = None) -> str:
    text = json.dumps(definitions(tree, guild), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def synced_key(tree: app_commands.CommandTree[Any], keys: Keys, guild: int | None) -> str:
    """Where the hash of the definitions last synced in this scope is kept (the application
    id in it comes from Discord at login)."""
    app_id = tree.client.application_id
    if app_id is None:
        raise RuntimeError("log in before syncing: the application id comes from Discord")
    return keys.discord_commands(app_id, guild)


async def sync_now(
    tree: app_commands.CommandTree[Any], redis: Redis[bytes], keys: Keys, guild: int | None = None
) -> int:
    """Sync unconditionally; returns how many commands Discord now has in that scope."""
    key = synced_key(tree, keys, guild)
    synced = await tree.sync(guild=discord.Object(guild) if guild else None)
    await redis.set(key, definitions_hash(tree, guild))
    log.info("synced %d commands (%s)", len(synced), f"guild {guild}" if guild else "global")
    return len(synced)


async def sync_if_changed(
    tree: app_commands.CommandTree[Any], redis: Redis[bytes], keys: Keys, guild: int | None = None
) -> bool:
    """Sync when the definitions differ from the last synced ones; whether it synced."""
    key = synced_key(tree, keys, guild)
    old = await redis.get(key)
    old_text = old.decode() if isinstance(old, bytes) else old
    if old_text == definitions_hash(tree, guild):
        log.info("commands unchanged; not syncing")
        return False
    # Only one process of a sharded deployment syncs a change; the others see the new hash.
    if not await redis.set(key + ":lock", "1", nx=True, ex=60):
        return False
    try:
        await sync_now(tree, redis, keys, guild)
    finally:
        await redis.delete(key + ":lock")
    return True
