"""The daily post on Discord (bot/common's Poster): a header message with the charts, then the
sections in a thread started on it, or as plain messages where the bot may not create threads.

Every message goes through the Ledger, so a retry or a restart never posts a part twice. Each
message carries a nonce derived from its subscription, date and part with `enforce_nonce`, so
Discord returns the earlier message rather than creating a second one, but only for "a few
minutes" (docs: Create Message). A part left pending (a crash, an answer lost on the way) is
therefore settled in this order:

1. the bot can read the channel's history: it looks for the message there (sent: done; not
   found: send it);
2. it cannot, and the part was first tried less than RESEND_WITHIN ago: send it again, the nonce
   makes that safe;
3. otherwise nothing can tell whether it went out: the part is recorded as UNCERTAIN and skipped,
   and the server's admins get a notice saying so and why. A missing section is the lesser harm:
   a duplicate cannot be taken back by the bot without Manage Messages, a skipped one is still a
   `/aidigest show` away.

A channel Discord no longer knows (10003, or gone from the guild) loses its subscription, with a
notice. discord.py waits out every route's rate limit; the global limit is paced in pacer.py.
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
from bot.common.subscription_store import Subscriptions
from bot.discord_bot.embeds import (
    NO_LINKS,
    Links,
    Message,
    header_content,
    overview_embeds,
    packed_sections,
)
from bot.discord_bot.notices import Notices
from core import escape
from core.digest import Digest
from core.headings import label
from core.items import KINDS
from core.localtime import Clock

log = logging.getLogger(__name__)
NO_THREAD = "none"  # the "thread" part's ref when sections go to the channel itself
UNCERTAIN = "uncertain"  # a part's ref when it may or may not have been sent (see above)
THREAD_EXISTS = 160004  # Discord: "A thread has already been created for this message"
UNKNOWN_CHANNEL = 10003
HISTORY_LOOKBACK = 50  # messages searched for a part that may have been sent before a crash
# Discord de-duplicates a nonce "in the past few minutes"; we count on one minute of it, which
# leaves room for the clocks of Discord and this process to disagree.
RESEND_WITHIN = 60.0
_POSTING = ("view_channel", "send_messages", "embed_links", "attach_files")


def transient(e: BaseException) -> bool:
    """Worth retrying now: a 5xx, a dropped connection, a timeout (discord.py retries 429s)."""
    if isinstance(e, discord.HTTPException) and not isinstance(e, discord.DiscordServerError):
        return False
    return isinstance(e, discord.DiscordServerError | aiohttp.ClientError | asyncio.TimeoutError)


def attempt_field(part: str) -> str:
    """The ledger hash's field holding when `part` was first tried (epoch seconds)."""
    return f"{part}:first_try"


class DiscordPoster:
    platform = "discord"

    def __init__(
        self,
        client: discord.Client,
        clock: Clock,
        subs: Subscriptions,
        notices: Notices,
        links: Links = NO_LINKS,
    ) -> None:
        self.client, self.clock, self.subs, self.notices = client, clock, subs, notices
        self.links = links  # each section's and day's page, when the archive is public

    async def post_digest(
        self, sub: Subscription, digest: Digest, charts: Mapping[str, bytes], ledger: Ledger
    ) -> None:
        channel = await self._channel(sub)
        kinds = [k for k in KINDS if k in digest.kinds]
        embeds, files = overview_embeds(digest, kinds, charts, self.links)
        post = _Post(self, sub, channel, ledger, digest.date)
        head = await post.once("header", channel, Message(header_content(digest), embeds, files))
        target: discord.abc.Messageable = channel
        if digest.sections and head != UNCERTAIN and _may_thread(channel):
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
        for i, group in enumerate(packed_sections(digest.sections, self.links)):
            await post.once(f"part-{i}", target, Message(embeds=group))

    async def _channel(self, sub: Subscription) -> discord.TextChannel:
        guild = self.client.get_guild(int(sub.team))
        if guild is None:
            raise PermanentError(f"the bot is not in guild {sub.team} (anymore)")
        if guild.unavailable:
            raise ConnectionError(f"guild {sub.team} is unavailable right now")
        channel = guild.get_channel(int(sub.channel))
        if channel is None:  # deleted while we were away? Discord says for sure
            try:
                await self.client.fetch_channel(int(sub.channel))
            except discord.NotFound as e:
                await self.forget(sub, f"#{sub.channel}", f"Discord no longer knows it ({e.text})")
                raise PermanentError(f"channel {sub.channel} was deleted") from e
        if not isinstance(channel, discord.TextChannel):
            raise PermanentError(f"channel {sub.channel} is gone or not a text channel")
        have = channel.permissions_for(guild.me)
        missing = [p for p in _POSTING if not getattr(have, p)]
        if missing:
            raise PermanentError(f"missing {', '.join(missing)} in channel {channel.id}")
        return channel

    async def forget(self, sub: Subscription, name: str, why: str) -> None:
        """Remove the subscription of a channel that is gone, and tell the server's admins."""
        await self.subs.delete(sub)
        text = f"{escape.discord(name)}: {why}; its daily post was removed."
        await self.notices.add(sub.team, sub.channel, text, self.clock.now())
        log.warning("channel gone, subscription removed: %s", why, extra={"sub": sub.sid})

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


class _Post:
    """One subscription's post of one day: each part sent once (or settled as uncertain)."""

    def __init__(
        self,
        poster: DiscordPoster,
        sub: Subscription,
        channel: discord.TextChannel,
        ledger: Ledger,
        day: str,
    ) -> None:
        self.poster, self.sub, self.channel = poster, sub, channel
        self.ledger, self.day = ledger, day

    async def once(self, part: str, where: discord.abc.Messageable, reply: Message) -> str:
        nonce = hashlib.sha256(f"{self.ledger.key}:{part}".encode()).hexdigest()[:25]

        async def send() -> str:
            now = self.poster.clock.now().timestamp()
            await self.ledger.redis.hsetnx(self.ledger.key, attempt_field(part), f"{now:.3f}")
            try:
                msg = await where.send(
                    content=reply.content or None,
                    embeds=reply.embeds,
                    files=reply.discord_files(),
                    nonce=nonce,
                )
            except discord.NotFound as e:
                if e.code == UNKNOWN_CHANNEL and where is self.channel:
                    why = f"Discord no longer knows it ({e.text})"
                    await self.poster.forget(self.sub, f"#{self.channel.name}", why)
                raise PermanentError(f"cannot post there: {e.status} {e.code}") from e
            except discord.Forbidden as e:
                raise PermanentError(f"cannot post there: {e.status} {e.code}") from e
            return str(msg.id)

        return await self.ledger.once(
            part, send, find=lambda: self._find(part, where, reply), transient=transient
        )

    async def _find(self, part: str, where: discord.abc.Messageable, reply: Message) -> str | None:
        """The ref of a part that may have been sent: found, None (send it), or UNCERTAIN."""
        me = self.channel.guild.me
        if self.channel.permissions_for(me).read_message_history:
            try:
                return await self._in_history(where, reply)
            except discord.HTTPException as e:
                log.info("cannot search history (%s); deciding by the nonce window", e.status)
        raw = await self.ledger.redis.hget(self.ledger.key, attempt_field(part))
        if raw is None:
            return None  # never tried: nothing can have been sent
        waited = self.poster.clock.now().timestamp() - float(raw)
        if waited <= RESEND_WITHIN:
            return None  # within Discord's nonce window: sending again is safe
        log.warning("part %s may have been sent %.0fs ago; skipped as uncertain", part, waited,
                    extra={"sub": self.sub.sid, "date": self.day})  # fmt: skip
        text = (
            f"the daily post of {self.day} in {escape.discord('#' + self.channel.name)} may lack "
            "a message: after an interruption I could not check whether it had gone out (I need "
            "Read Message History there), so I skipped it rather than risk posting it twice"
        )
        now = self.poster.clock.now()
        await self.poster.notices.add(self.sub.team, self.sub.channel, text, now)
        return UNCERTAIN

    async def _in_history(self, where: discord.abc.Messageable, reply: Message) -> str | None:
        """A message of ours that is this reply, sent before a crash (None if there is none)."""
        bot = self.poster.client.user
        want = _signature(reply.content, reply.embeds)
        async for msg in where.history(limit=HISTORY_LOOKBACK):
            if bot and msg.author.id == bot.id and _signature(msg.content, msg.embeds) == want:
                return str(msg.id)
        return None


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
