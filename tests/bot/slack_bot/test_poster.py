"""The daily post through the Web API stand-in: header with charts, threaded sections, pacing,
429s, 5xx before and after the work, and a restart in the middle: never a double post."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from functools import partial

import pytest

from bot.common.delivery import PermanentError
from bot.common.ledger import Ledger
from bot.common.subscription import Subscription
from bot.slack_bot.client import make_client
from bot.slack_bot.pacer import ChannelPacer
from bot.slack_bot.poster import SlackPoster
from bot.slack_bot.tiers import TierPacer
from bot.slack_bot.web_links import WebLinks
from core.digest import Digest
from core.pipeline import BuiltDay
from tests.bot.helpers import FakeClock, aredis, run, slack_sub
from tests.doubles.slack_api import SlackApi
from tests.doubles.slack_rules import block_errors

pytestmark = pytest.mark.usefixtures("redis_db")
Scenario = Callable[[SlackApi, Callable[[str], Awaitable[None]]], Awaitable[None]]


sub = partial(slack_sub, kinds=["papers"], categories=["papers:llm", "papers:computer-vision"])


def mine(day: BuiltDay, s: Subscription) -> Digest:
    return s.select(day.digests["en"])


def play(
    day: BuiltDay,
    scenario: Scenario,
    *,
    interval: float = 0.0,
    pace: float = 0.0,
    minute: float = 60.0,
    tiers: TierPacer | None = None,
    channels: int = 5,
    links: WebLinks | None = None,
) -> SlackApi:
    """Run `scenario(api, post)`: post(channel) posts the day for that channel's subscription;
    each post is a fresh poster and ledger, as after a restart."""

    async def main() -> SlackApi:
        api = SlackApi(interval=interval, minute=minute)
        await api.start()
        client = make_client(api.base_url)
        bot = api.grant(team="T1")
        for i in range(channels):
            api.add_channel(f"C{i}", team="T1")

        async def token(team: str) -> str:
            return bot

        async def post(channel: str) -> None:
            s = sub(channel)
            r = aredis()
            ledger = Ledger(
                r,
                f"aidigest:posted:{s.sid}:2024-10-04",
                FakeClock(datetime(2024, 10, 4, tzinfo=UTC)),
            )
            poster = SlackPoster(client, token, ChannelPacer(pace), tiers or TierPacer(), links)
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
    head_text = json.dumps(head["blocks"], ensure_ascii=False)
    assert "*Papers* — 159 items\\nModel Training 50 · LLM 46 · Computer Vision 25" in head_text
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
    assert api.count("files.getUploadURLExternal") == 1 and api.orphans() == []


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
        api.channels["C1"].member = False
        await post("C1")

    api = play(demo_day, scenario)
    assert api.count("conversations.join") == 1 and api.channels["C1"].member
    assert len(api.posts("C1")) == 3 and set(parts(api).values()) == {1}
    assert api.refusals("files.completeUploadExternal") == ["not_in_channel"]
    assert api.count("files.getUploadURLExternal") == 1  # the same file, completed after joining
    assert api.orphans() == []


def test_a_private_channel_needs_an_invitation(demo_day: BuiltDay) -> None:
    async def scenario(api: SlackApi, post: Callable[[str], Awaitable[None]]) -> None:
        api.add_channel("C1", private=True, member=False)
        with pytest.raises(PermanentError, match="invite the bot"):
            await post("C1")

    api = play(demo_day, scenario)
    assert api.posts("C1") == []
    assert api.orphans() == [] and all(f.deleted for f in api.files.values())


def test_an_archived_channel_is_a_permanent_error(demo_day: BuiltDay) -> None:
    async def scenario(api: SlackApi, post: Callable[[str], Awaitable[None]]) -> None:
        api.channels["C1"].archived = True
        with pytest.raises(PermanentError, match="is_archived"):
            await post("C1")

    api = play(demo_day, scenario)
    assert api.posts("C1") == [] and api.orphans() == []


def test_a_channel_deleted_since_is_a_permanent_error(demo_day: BuiltDay) -> None:
    async def scenario(api: SlackApi, post: Callable[[str], Awaitable[None]]) -> None:
        del api.channels["C1"]
        with pytest.raises(PermanentError, match="channel_not_found"):
            await post("C1")

    assert play(demo_day, scenario).orphans() == []


def test_a_revoked_token_is_a_permanent_error(demo_day: BuiltDay) -> None:
    async def scenario(api: SlackApi, post: Callable[[str], Awaitable[None]]) -> None:
        for token in api.tokens:
            api.revoke(token)
        with pytest.raises(PermanentError, match="token_revoked"):
            await post("C1")

    assert play(demo_day, scenario).posts("C1") == []


@pytest.mark.slow
@pytest.mark.parametrize("paced", [False, True])
def test_a_workspace_over_a_methods_tier_waits_and_posts_once(
    demo_day: BuiltDay, paced: bool
) -> None:
    """110 channels of one workspace: more than tier 4's 100 uploads a minute (a "minute" of
    2 s here). Unpaced, Slack's 429s are waited out; paced, there are none."""

    async def scenario(api: SlackApi, post: Callable[[str], Awaitable[None]]) -> None:
        await asyncio.gather(*(post(f"C{i}") for i in range(110)))

    tiers = TierPacer(minute=2.0) if paced else TierPacer(per_minute={})
    api = play(demo_day, scenario, minute=2.0, tiers=tiers, channels=110)
    assert (api.rate_limited > 0) != paced
    assert all(len(api.posts(f"C{i}")) == 3 for i in range(110)) and api.orphans() == []


def test_with_a_web_archive_the_header_shows_its_charts_and_links_the_digest(
    demo_day: BuiltDay,
) -> None:
    async def scenario(api: SlackApi, post: Callable[[str], Awaitable[None]]) -> None:
        await post("C1")

    links = WebLinks("https://digest.example.org", "ko")
    api = play(demo_day, scenario, links=links)
    assert api.count("files.getUploadURLExternal") == 0  # Slack fetches the archive's charts
    head, *replies = api.posts("C1")
    assert not block_errors(head["blocks"])
    images = [b["image_url"] for b in head["blocks"] if b["type"] == "image"]
    assert images == ["https://digest.example.org/chart/2024-10-04/papers.png"]
    shown = json.dumps(head["blocks"], ensure_ascii=False)
    assert "https://digest.example.org/2024-10-04?lang=en|Full digest" in shown
    assert "*Papers* — " in shown and "████" not in shown  # counts; the image is the chart
    assert "Model Training 50 · LLM 46 · Computer Vision 25" in shown  # and as text
    assert "https://digest.example.org/2024-10-04/papers/llm?lang=en" in json.dumps(replies[0])
    assert [r["thread_ts"] for r in replies] == [head["ts"], head["ts"]]
