"""The daily post through the Web API stand-in: header with charts, threaded sections, pacing,
429s, 5xx before and after the work, and a restart in the middle: never a double post."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.common.delivery import PermanentError
from bot.common.ledger import Ledger
from bot.common.subscription import Subscription
from bot.slack_bot.client import make_client
from bot.slack_bot.pacer import ChannelPacer
from bot.slack_bot.poster import SlackPoster
from core.digest import Digest
from core.pipeline import BuiltDay
from tests.bot.helpers import FakeClock, aredis, run
from tests.doubles.slack_api import SlackApi
from tests.doubles.slack_rules import block_errors

pytestmark = pytest.mark.usefixtures("redis_db")
Scenario = Callable[[SlackApi, Callable[[str], Awaitable[None]]], Awaitable[None]]


def sub(channel: str = "C1", **kw: Any) -> Subscription:
    return Subscription(
        platform="slack",
        team="T1",
        channel=channel,
        kinds=["papers"],
        categories=["papers:llm", "papers:computer-vision"],
        time="09:00",
        tz="Asia/Seoul",
        lang="en",
        created_by="U1",
        created_at="x",
        **kw,
    )


def mine(day: BuiltDay, s: Subscription) -> Digest:
    return s.select(day.digests["en"])


def play(
    day: BuiltDay, scenario: Scenario, *, interval: float = 0.0, pace: float = 0.0
) -> SlackApi:
    """Run `scenario(api, post)`: post(channel) posts the day for that channel's subscription;
    each post is a fresh poster and ledger, as after a restart."""

    async def main() -> SlackApi:
        api = SlackApi(interval=interval)
        await api.start()
        client = make_client(api.base_url)

        async def token(team: str) -> str:
            return f"xoxb-{team}-token"

        async def post(channel: str) -> None:
            s = sub(channel)
            r = aredis()
            ledger = Ledger(
                r,
                f"aidigest:posted:{s.sid}:2024-10-04",
                FakeClock(datetime(2024, 10, 4, tzinfo=UTC)),
            )
            poster = SlackPoster(client, token, ChannelPacer(pace))
            try:
                await poster.post_digest(s, mine(day, s), day.charts, ledger)
            finally:
                await r.aclose()

        try:
            await scenario(api, post)
        finally:
            await api.close()
        return api

    return run(main())


def parts(api: SlackApi, channel: str = "C1") -> Counter[str]:
    """How often each part was posted, by the part id its metadata or chart title carries."""
    out: Counter[str] = Counter()
    for m in api.posts(channel):
        meta = (m.get("metadata") or {}).get("event_payload", {})
        out[meta.get("uid") or ("header" if m.get("files") else "?")] += 1
    return out


def test_a_header_with_the_chart_then_one_threaded_reply_per_section(demo_day: BuiltDay) -> None:
    async def scenario(api: SlackApi, post: Callable[[str], Awaitable[None]]) -> None:
        await post("C1")

    api = play(demo_day, scenario)
    steps = [c.method for c in api.calls]
    assert steps[:3] == ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]
    head, *replies = api.posts("C1")
    assert [f["title"] for f in head["files"]] == ["Papers · Category distribution · 2024-10-04"]
    assert api.files[head["files"][0]["id"]].data == demo_day.charts["papers"]
    assert "2024-10-04" in json.dumps(head["blocks"])
    assert [r["thread_ts"] for r in replies] == [head["ts"], head["ts"]]
    assert [r["blocks"][0]["text"]["text"] for r in replies] == [
        "LLM · Papers · 2024-10-04",
        "Computer Vision · Papers · 2024-10-04",
    ]
    assert all(not block_errors(m["blocks"]) for m in api.posts("C1"))
    assert set(parts(api).values()) == {1}


def test_channels_post_in_parallel_at_one_message_a_second_each(demo_day: BuiltDay) -> None:
    async def scenario(api: SlackApi, post: Callable[[str], Awaitable[None]]) -> None:
        await asyncio.gather(*(post(f"C{i}") for i in range(5)))

    api = play(demo_day, scenario, interval=1.0, pace=1.0)
    assert api.rate_limited == 0
    assert all(len(api.posts(f"C{i}")) == 3 for i in range(5))


def test_a_429_is_waited_out_and_posts_once(demo_day: BuiltDay) -> None:
    async def scenario(api: SlackApi, post: Callable[[str], Awaitable[None]]) -> None:
        await post("C1")

    api = play(demo_day, scenario, interval=1.0, pace=0.0)  # no pacing: Slack says 429
    assert api.rate_limited >= 1
    assert len(api.posts("C1")) == 3 and set(parts(api).values()) == {1}


@pytest.mark.parametrize("method", ["chat.postMessage", "files.completeUploadExternal"])
@pytest.mark.parametrize("after", [False, True])
def test_a_5xx_is_retried_without_a_double_post(
    demo_day: BuiltDay, method: str, after: bool
) -> None:
    async def scenario(api: SlackApi, post: Callable[[str], Awaitable[None]]) -> None:
        api.fail(method, status=503, times=2, after=after)
        await post("C1")

    api = play(demo_day, scenario)
    assert len(api.posts("C1")) == 3 and set(parts(api).values()) == {1}
    failed = sum(1 for c in api.calls if c.method == method and c.status == 503)
    assert failed == 2 or (after and failed == 1)  # a found share needs no second try


def test_a_restart_mid_post_resumes_where_it_stopped(demo_day: BuiltDay) -> None:
    async def scenario(api: SlackApi, post: Callable[[str], Awaitable[None]]) -> None:
        api.fail("chat.postMessage", status=400, after=True)  # posted, then an error that stops
        with pytest.raises(Exception, match="400"):
            await post("C1")
        assert len(api.posts("C1")) == 2
        await post("C1")  # the "restarted" process
        await post("C1")  # and once more: everything is done

    api = play(demo_day, scenario)
    assert len(api.posts("C1")) == 3 and set(parts(api).values()) == {1}


def test_the_bot_joins_a_public_channel_to_share_the_chart(demo_day: BuiltDay) -> None:
    async def scenario(api: SlackApi, post: Callable[[str], Awaitable[None]]) -> None:
        api.outside.add("C1")
        await post("C1")

    api = play(demo_day, scenario)
    assert api.count("conversations.join") == 1 and not api.outside
    assert len(api.posts("C1")) == 3 and set(parts(api).values()) == {1}


def test_a_private_channel_needs_an_invitation(demo_day: BuiltDay) -> None:
    async def scenario(api: SlackApi, post: Callable[[str], Awaitable[None]]) -> None:
        api.private.add("C1")
        with pytest.raises(PermanentError, match="invite the bot"):
            await post("C1")

    assert play(demo_day, scenario).posts("C1") == []


def test_an_archived_channel_is_a_permanent_error(demo_day: BuiltDay) -> None:
    async def scenario(api: SlackApi, post: Callable[[str], Awaitable[None]]) -> None:
        api.archived.add("C1")
        with pytest.raises(PermanentError, match="is_archived"):
            await post("C1")

    assert play(demo_day, scenario).posts("C1") == []
