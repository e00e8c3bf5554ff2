"""The daily post of bench/slack.py: one day to `channels` subscribed channels of one workspace,
all due at once, through the real Delivery and SlackPoster against the Web API stand-in.

Two ways to show the charts: the web archive's images (DIGEST_PUBLIC_URL; nothing to upload),
or file uploads. The floor is the least time Slack's limits allow: a channel's messages one
second apart, and with uploads also the upload methods' tiers in the workspace (100 a minute).
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

from bot.common.connection import connect
from bot.common.delivery import Delivery
from bot.common.subscription import Subscription
from bot.common.subscription_store import Subscriptions
from bot.slack_bot.client import make_client, make_session
from bot.slack_bot.pacer import ChannelPacer
from bot.slack_bot.poster import SlackPoster
from bot.slack_bot.tiers import TierPacer
from bot.slack_bot.web_links import WebLinks
from core.store.async_reader import AsyncDayReader
from core.store.keys import Keys

ARCHIVE = "https://digest.example.org"


def floor(per_channel: int, channels: int, uploads: bool, kinds: int = 2) -> float:
    """Seconds Slack's limits need at least: messages 1 s apart per channel (channels run in
    parallel); with uploads, each channel's charts also pass the workspace's upload tiers."""
    pacing = (per_channel - 1) * 1.0
    if not uploads:
        return pacing
    calls = {
        "files.getUploadURLExternal": kinds * channels,
        "files.completeUploadExternal": channels,
        "files.info": channels,
    }
    return max(pacing, TierPacer().floor(calls))


async def post_day(
    redis_url: str,
    prefix: str,
    api_url: str,
    token: str,
    channels: int,
    *,
    uploads: bool,
    limit: float,
) -> float:
    """Seconds to post the demo day to `channels` channels (SystemExit past `limit`)."""
    redis = connect(redis_url)
    keys = Keys(prefix)
    now = datetime.now(UTC)
    for i in range(channels):  # a post time of the demo day, in a zone where it is that day
        sub = Subscription(
            platform="slack", team="T1", channel=f"CH{i:04d}", kinds=["news", "papers"],
            time="09:00", tz="UTC", lang="en", created_by="U1", created_at=now.isoformat(),
        )  # fmt: skip
        await Subscriptions(redis, keys).save(sub, now=0)
    clock = _DemoDayClock(datetime(2024, 10, 4, 9, 0, 1, tzinfo=UTC))
    session = make_session()

    async def token_for(team: str) -> str:
        return token

    links = WebLinks() if uploads else WebLinks(ARCHIVE, "en")
    client = make_client(api_url, session=session)
    poster = SlackPoster(client, token_for, ChannelPacer(1.0), links=links)
    delivery = Delivery(redis, keys, AsyncDayReader(redis, keys), poster, clock)
    t = time.perf_counter()
    try:
        outcomes = await asyncio.wait_for(delivery.tick(), limit)
    except TimeoutError:
        raise SystemExit(f"bench: posting to {channels} channels took over {limit:.0f} s") from None
    took = time.perf_counter() - t
    await session.close()
    await redis.aclose()
    if outcomes.count("posted") != channels:
        raise SystemExit(f"posted {outcomes.count('posted')} of {channels}: {set(outcomes)}")
    return took


class _DemoDayClock:
    """The demo day's morning, running at real speed (so the post is for the demo date)."""

    def __init__(self, start: datetime) -> None:
        self.offset = start - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
