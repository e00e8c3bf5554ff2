"""`python -m bot.discord_bot` runs the Discord bot; `python -m bot.discord_bot sync [--guild ID]`
registers its slash commands now (globally, or in one guild where changes show at once).

Settings: DISCORD_TOKEN, DISCORD_SHARDS, REDIS_URL, DIGEST_*; DISCORD_API_BASE and
DISCORD_GATEWAY_URL point discord.py at a local stand-in (tests only). This is the only module
that reads settings or builds clients.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Sequence

import discord
import redis
import redis.asyncio
import yarl
from discord.gateway import DiscordWebSocket

from bot.common.connection import connect, warm
from bot.common.delivery import DeliveryConfig
from bot.discord_bot.client import App, make_client
from bot.discord_bot.sync import sync_now
from core import event_loop, heap
from core.localtime import SystemClock
from core.logs import setup_logging
from core.settings import DiscordSettings, Settings, load_settings
from core.store.keys import Keys
from core.taxonomy import load_taxonomy

log = logging.getLogger("bot.discord_bot")


def point_at(discord_settings: DiscordSettings) -> None:
    """Aim discord.py at a stand-in when configured (never at import: only here)."""
    if discord_settings.api_base:
        discord.http.Route.BASE = discord_settings.api_base.rstrip("/")
    if discord_settings.gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(discord_settings.gateway_url)
    # The bot never joins voice: no warnings at start about voice libraries it does not need.
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False


def redis_client(url: str, connections: int = 64) -> redis.asyncio.Redis[bytes]:
    """Commands and hundreds of concurrent posts share this pool (bot/common/connection.py: wait
    for a free connection; retry a command once Redis restarts)."""
    return connect(url, max_connections=connections, timeout=30)


def build_app(settings: Settings, *, lease: float | None = None, deliver: bool = True) -> App:
    if not settings.redis.url:
        raise SystemExit("REDIS_URL is not set: the bot reads the digests from Redis")
    d = settings.digest
    config = DeliveryConfig(lease=lease) if lease else DeliveryConfig()
    return App(
        redis=redis_client(settings.redis.url),
        taxonomy=load_taxonomy(d.taxonomy_file),
        digest=d,
        delivery=config,
        deliver=deliver,
        clock=SystemClock(d.clock_offset),
    )


async def _run(app: App, token: str, shards: int, shard_ids: Sequence[int] | None) -> None:
    client = make_client(app, shards, shard_ids)
    await warm(app.redis)  # the first burst of answers opens no connection of its own
    heap.settle()  # start-up is over: what exists now lives as long as the process
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):  # finish the message in flight, then stop
        loop.add_signal_handler(sig, lambda: asyncio.ensure_future(client.close()))
    try:
        await client.start(token)
    finally:
        await client.close()  # idempotent: also waits for a close a signal started
        await app.redis.aclose()  # type: ignore[attr-defined]  # stubs predate redis 5


async def _sync(app: App, token: str, guild: int | None) -> int:
    client = make_client(app)
    try:
        await client.login(token)  # the application id; no gateway connection needed
        return await sync_now(client.tree, app.redis, Keys(app.digest.key_prefix), guild)
    finally:
        await client.close()
        await app.redis.aclose()  # type: ignore[attr-defined]  # stubs predate redis 5


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bot.discord_bot", description=__doc__)
    sub = ap.add_subparsers(dest="command")
    run = sub.add_parser("run", help="run the bot (the default)")
    sync = sub.add_parser("sync", help="register the slash commands now")
    sync.add_argument("--guild", type=int, help="only in this guild (changes show at once)")
    for p, default in ((ap, None), (run, argparse.SUPPRESS)):  # before or after `run`
        p.add_argument("--shard-ids", default=default, help="shards this process runs: 0,1")
        p.add_argument("--lease", type=float, default=default, help="seconds a claim is held")
        p.add_argument("--no-delivery", action="store_true", default=default or False,
                       help="answer commands only; another process posts")  # fmt: skip
    args = ap.parse_args(argv)
    settings = load_settings()
    token = settings.discord.token.get_secret_value() if settings.discord.token else ""
    setup_logging(settings.digest.log_format, secrets=[token, *settings.secrets()])
    if not token:
        print("DISCORD_TOKEN is not set (see bot/discord_bot/README.md)", file=sys.stderr)
        return 2
    point_at(settings.discord)
    if args.command == "sync":
        n = event_loop.run(_sync(build_app(settings, deliver=False), token, args.guild))
        print(f"synced {n} commands" + (f" in guild {args.guild}" if args.guild else " globally"))
        return 0
    shard_ids = [int(x) for x in args.shard_ids.split(",")] if args.shard_ids else None
    app = build_app(settings, lease=args.lease, deliver=not args.no_delivery)
    try:
        event_loop.run(_run(app, token, settings.discord.shards, shard_ids))
    except KeyboardInterrupt:
        pass
    except discord.LoginFailure:
        log.error("Discord refused the token (DISCORD_TOKEN)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
