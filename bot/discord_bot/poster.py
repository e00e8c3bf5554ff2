"""The daily post on Discord (bot/common's Poster): a header message with the charts, then the
sections in a thread started on it, or as plain messages where the bot may not create threads.

Every message goes through the Ledger, so a retry or a restart never posts a part twice: a part
left pending is first looked for in the channel's recent history, and each message carries a
nonce derived from its subscription, date and part with `enforce_nonce`, so Discord itself
returns the earlier message rather than creating a second one. discord.py waits out every
route's rate limit; the global limit is paced in pacer.py.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Mapping
from typing import Any

import aiohttp
import discord

from bot.common.delivery import PermanentError
from bot.common.ledger import Ledger
from bot.common.subscription import Subscription
from bot.discord_bot.embeds import Message, header_content, overview_embeds, pack, section_embeds
from core.digest import Digest
from core.headings import label

log = logging.getLogger(__name__)
NO_THREAD = "none"  # the "thread" part's ref when sections go to the channel itself
THREAD_EXISTS = 160004  # Discord: "A thread has already been created for this message"
HISTORY_LOOKBACK = 50  # messages searched for a part that may have been sent before a crash
_POSTING = ("view_channel", "send_messages", "embed_links", "attach_files")


def transient(e: BaseException) -> bool:
    """Worth retrying now: a 5xx, a dropped connection, a timeout (discord.py retries 429s)."""
    if isinstance(e, discord.HTTPException) and not isinstance(e, discord.DiscordServerError):
        return False
    return isinstance(e, discord.DiscordServerError | aiohttp.ClientError | asyncio.TimeoutError)


class DiscordPoster:
    platform = "discord"

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def post_digest(
        self, sub: Subscription, digest: Digest, charts: Mapping[str, bytes], ledger: Ledger
    ) -> None:
        channel = self._channel(sub)
        embeds, files = overview_embeds(digest, list(digest.kinds), charts)  # type: ignore[arg-type]
        header = Message(header_content(digest), embeds, files)
        head = await self._once(ledger, "header", channel, header)
        target: discord.abc.Messageable = channel
        if digest.sections and _may_thread(channel):
            tid = await ledger.once(
                "thread",
                lambda: self._thread(channel, int(head), digest),
                find=lambda: self._find_thread(channel, int(head)),
                transient=transient,
            )
            if tid != NO_THREAD:
                target = self.client.get_partial_messageable(
                    int(tid), guild_id=channel.guild.id, type=discord.ChannelType.public_thread
                )
        groups = pack(e for s in digest.sections for e in section_embeds(s))
        for i, group in enumerate(groups):
            await self._once(ledger, f"part-{i}", target, Message(embeds=group))

    def _channel(self, sub: Subscription) -> discord.TextChannel:
        guild = self.client.get_guild(int(sub.team))
        if guild is None:
            raise PermanentError(f"the bot is not in guild {sub.team} (anymore)")
        if guild.unavailable:
            raise ConnectionError(f"guild {sub.team} is unavailable right now")
        channel = guild.get_channel(int(sub.channel))
        if not isinstance(channel, discord.TextChannel):
            raise PermanentError(f"channel {sub.channel} is gone or not a text channel")
        have = channel.permissions_for(guild.me)
        missing = [p for p in _POSTING if not getattr(have, p)]
        if missing:
            raise PermanentError(f"missing {', '.join(missing)} in channel {channel.id}")
        return channel

    async def _once(
        self, ledger: Ledger, part: str, where: discord.abc.Messageable, reply: Message
    ) -> str:
        nonce = hashlib.sha256(f"{ledger.key}:{part}".encode()).hexdigest()[:25]

        async def send() -> str:
            try:
                msg = await where.send(
                    content=reply.content or None,
                    embeds=reply.embeds,
                    files=reply.discord_files(),
                    nonce=nonce,
                )
            except (discord.Forbidden, discord.NotFound) as e:
                raise PermanentError(f"cannot post there: {e.status} {e.code}") from e
            return str(msg.id)

        return await ledger.once(
            part, send, find=lambda: self._find(where, reply), transient=transient
        )

    async def _find(self, where: discord.abc.Messageable, reply: Message) -> str | None:
        """A message of ours that is this reply, sent before a crash (None if there is none)."""
        me = self.client.user
        want = _signature(reply.content, reply.embeds)
        try:
            async for msg in where.history(limit=HISTORY_LOOKBACK):
                if me and msg.author.id == me.id and _signature(msg.content, msg.embeds) == want:
                    return str(msg.id)
        except discord.HTTPException as e:  # no Read Message History: rely on the nonce
            log.info("cannot search history (%s); the nonce guards a resend", e.status)
        return None

    async def _thread(self, channel: discord.TextChannel, head: int, digest: Digest) -> str:
        name = f"{label(digest.lang, 'title')} — {digest.date}"[:100]
        try:
            thread = await channel.get_partial_message(head).create_thread(
                name=name, auto_archive_duration=1440
            )
        except discord.Forbidden:  # thread permissions were withdrawn: plain messages then
            return NO_THREAD
        except discord.HTTPException as e:
            if e.code == THREAD_EXISTS:  # a thread on a message has the message's id
                return str(head)
            raise
        return str(thread.id)

    async def _find_thread(self, channel: discord.TextChannel, head: int) -> str | None:
        if channel.guild.get_thread(head) is not None:
            return str(head)
        try:
            await self.client.fetch_channel(head)
        except discord.NotFound:
            return None
        return str(head)


def _may_thread(channel: discord.TextChannel) -> bool:
    have = channel.permissions_for(channel.guild.me)
    return have.create_public_threads and have.send_messages_in_threads


def _signature(content: str | None, embeds: list[discord.Embed]) -> tuple[Any, ...]:
    first = embeds[0] if embeds else None
    return (
        content or "",
        len(embeds),
        first.title if first else None,
        (first.description or "")[:200] if first else None,
    )
