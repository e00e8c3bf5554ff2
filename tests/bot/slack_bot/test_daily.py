"""A day of delivery to many Slack channels in many time zones, with a controlled clock: every
channel gets its post once, at its own local time, through the real poster and the stand-in."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.common.delivery import Delivery
from bot.common.subscription_store import Subscriptions
from bot.slack_bot.client import make_client, make_session
from bot.slack_bot.pacer import ChannelPacer
from bot.slack_bot.poster import SlackPoster
from core.pipeline import BuiltDay
from core.store.keys import Keys
from tests.bot.helpers import FakeClock, aredis, publish, reader, run, slack_sub
from tests.doubles.slack_api import SlackApi

pytestmark = pytest.mark.usefixtures("redis_db")
ZONES = ["Asia/Seoul", "Europe/Berlin", "America/Los_Angeles", "UTC", "Asia/Kolkata"]


def test_one_post_per_channel_at_its_local_time(demo_day: BuiltDay) -> None:
    publish(demo_day)
    subs = [
        slack_sub(
            f"C{i:02d}",
            kinds=["papers"],
            categories=["papers:llm"] if i % 2 else [],
            time=f"{6 + i % 5:02d}:30",
            tz=ZONES[i % 5],
        )
        for i in range(30)
    ]
    # 2024-10-04 starts in Seoul at 2024-10-03 15:00 UTC and ends in Los Angeles 2024-10-05 07:00
    clock = FakeClock(datetime(2024, 10, 3, 12, 0, tzinfo=UTC))
    posted_at: dict[str, datetime] = {}

    async def scenario() -> SlackApi:
        api = SlackApi(interval=0.01)
        await api.start()
        bot = api.grant(team="T1")
        for s in subs:
            api.add_channel(s.channel, team="T1")
        session = make_session()
        r = aredis()
        for s in subs:
            await Subscriptions(r, Keys()).save(s, now=clock.now().timestamp())

        async def token(team: str) -> str:
            return bot

        poster = SlackPoster(make_client(api.base_url, session=session), token, ChannelPacer(0.01))
        delivery = Delivery(r, Keys(), reader(r), poster, clock)
        while clock.now() < datetime(2024, 10, 5, 12, 0, tzinfo=UTC):
            clock.advance(minutes=5)
            before = {c for c in api.messages if api.messages[c]}
            await delivery.tick()
            for c in {c for c in api.messages if api.messages[c]} - before:
                posted_at[c] = clock.now()
        await session.close()
        await r.aclose()
        await api.close()
        return api

    api = run(scenario())
    digest = demo_day.digests["en"]
    papers = [s for s in digest.sections if s.kind == "papers"]
    for s in subs:
        msgs = api.posts(s.channel)
        want = [x for x in papers if s.wants(x.kind, x.category)]
        assert len(msgs) == 1 + len(want), s.channel  # the 10-04 post only: 10-05 isn't ready
        uids = Counter((m.get("metadata") or {}).get("event_payload", {}).get("uid") for m in msgs)
        assert set(uids.values()) == {1}
        local = posted_at[s.channel].astimezone(ZoneInfo(s.tz))
        assert local.date().isoformat() == "2024-10-04"
        assert (
            timedelta(0)
            <= local - local.replace(hour=int(s.time[:2]), minute=30)
            < timedelta(minutes=5)
        )
