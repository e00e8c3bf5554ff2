"""The Slack stand-in refuses what Slack refuses (tokens, channels, tiers, Block Kit, sizes,
asynchronous shares, response_urls, triggers, views), through the real SDK client."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.bot.helpers import run
from tests.doubles.slack_api import SlackApi
from tests.doubles.slack_rules import block_errors

Scenario = Callable[[SlackApi, AsyncWebClient], Awaitable[None]]


def play(scenario: Scenario, **kw: Any) -> SlackApi:
    async def main() -> SlackApi:
        api = SlackApi(interval=0.0, **kw)
        await api.start()
        token = api.grant("xoxb-T1-stand-in", team="T1")
        api.add_channel("C1", team="T1")
        api.add_user("U1", team="T1")
        try:
            await scenario(api, AsyncWebClient(token=token, base_url=api.base_url))
        finally:
            await api.close()
        return api

    return run(main())


async def refused(call: Awaitable[Any]) -> str:
    with pytest.raises(SlackApiError) as e:
        await call
    return str(e.value.response.get("error"))


def section(text: str, **kw: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **kw}


def test_tokens_must_be_granted_and_not_revoked() -> None:
    async def scenario(api: SlackApi, client: AsyncWebClient) -> None:
        assert (await client.auth_test())["team_id"] == "T1"
        assert await refused(client.auth_test(token="xoxb-T1-made-up")) == "invalid_auth"
        assert await refused(AsyncWebClient(base_url=api.base_url).auth_test()) == "not_authed"
        app = api.grant(team="T1", kind="app")
        assert await refused(client.auth_test(token=app)) == "not_allowed_token_type"
        assert await refused(client.apps_connections_open(app_token=str(client.token))) == (
            "not_allowed_token_type"
        )
        api.revoke(str(client.token))
        assert await refused(client.auth_test()) == "token_revoked"

    play(scenario)


def test_channels_must_exist_in_the_team_and_be_visible() -> None:
    async def scenario(api: SlackApi, client: AsyncWebClient) -> None:
        post = client.chat_postMessage
        assert await refused(post(channel="C404", text="hi")) == "channel_not_found"
        api.add_channel("C2", team="T2")
        assert await refused(post(channel="C2", text="hi")) == "channel_not_found"
        api.add_channel("C3", team="T1", private=True, member=False)
        assert await refused(post(channel="C3", text="hi")) == "channel_not_found"
        api.add_channel("C4", team="T1", member=False)  # public: chat:write.public posts
        await post(channel="C4", text="hi")
        history = client.conversations_history(channel="C4")
        assert await refused(history) == "not_in_channel"

    play(scenario)


def test_block_kit_is_checked_like_slack() -> None:
    async def scenario(api: SlackApi, client: AsyncWebClient) -> None:
        post = client.chat_postMessage
        cases: list[tuple[list[dict[str, Any]], str]] = [
            ([section("x", colour="red")], "invalid additional property: colour"),
            ([section("x" * 3001)], "must be less than 3001 characters"),
            ([section("a", block_id="b"), section("c", block_id="b")], "duplicate block_id"),
            ([section("a", block_id="b" * 256)], "must be less than 256 characters"),
            ([{"type": "actions", "elements": []}], "must provide an array of 1 to 25"),
            ([{"type": "actions", "elements": [{"type": "button", "action_id": "a"}]}], "text"),
            (
                [
                    {
                        "type": "actions",
                        "elements": [
                            {
                                "type": "button",
                                "text": {"type": "plain_text", "text": "b"},
                                "action_id": "a" * 256,
                            },
                        ],
                    }
                ],
                "must be less than 256 characters",
            ),
            ([section("x")] * 51, "no more than 50 items"),
            ([{"type": "input", "label": {"type": "plain_text", "text": "l"}}], "unsupported"),
        ]
        for blocks, why in cases:
            with pytest.raises(SlackApiError) as e:
                await post(channel="C1", blocks=blocks, text="t")
            assert e.value.response["error"] == "invalid_blocks", why
            assert any(why in m for m in e.value.response["errors"]), (why, e.value.response)

    play(scenario)


def test_a_message_holds_at_most_12000_characters_of_block_text() -> None:
    async def scenario(api: SlackApi, client: AsyncWebClient) -> None:
        fits = [section("x" * 3000)] * 4
        await client.chat_postMessage(channel="C1", blocks=fits, text="t")
        too_long = [*fits, section("y")]
        assert block_errors(too_long) == ["msg_blocks_too_long"]
        post = client.chat_postMessage(channel="C1", blocks=too_long, text="t")
        assert await refused(post) == "msg_blocks_too_long"
        assert await refused(client.chat_postMessage(channel="C1", text="z" * 40001)) == (
            "msg_too_long"
        )

    play(scenario)


def test_tiers_answer_429_with_retry_after() -> None:
    async def scenario(api: SlackApi, client: AsyncWebClient) -> None:
        for _ in range(50):  # tier 3: 50 a minute
            await client.conversations_info(channel="C1")
        with pytest.raises(SlackApiError) as e:
            await client.conversations_info(channel="C1")
        assert e.value.response.status_code == 429
        assert 1 <= int(e.value.response.headers["Retry-After"]) <= 2
        await client.users_info(user="U1")  # another method has its own count
        await asyncio.sleep(2.1)
        await client.conversations_info(channel="C1")  # the window moved on

    play(scenario, minute=2.0)


def test_a_share_shows_after_completion_and_an_orphan_is_counted() -> None:
    async def scenario(api: SlackApi, client: AsyncWebClient) -> None:
        got = await client.files_getUploadURLExternal(filename="a.png", length=3)
        async with aiohttp.ClientSession() as http, http.post(got["upload_url"], data=b"png"):
            pass
        assert [f.id for f in api.orphans()] == [got["file_id"]]
        done = await client.files_completeUploadExternal(
            files=[{"id": got["file_id"], "title": "t"}], channel_id="C1"
        )
        assert "shares" not in done["files"][0] and api.posts("C1") == []
        info = await client.files_info(file=got["file_id"])
        assert info["file"]["shares"] == {}  # not yet
        await asyncio.sleep(0.3)
        info = await client.files_info(file=got["file_id"])
        assert info["file"]["shares"]["public"]["C1"][0]["ts"] == api.posts("C1")[0]["ts"]
        assert api.orphans() == []
        again = client.files_completeUploadExternal(files=[{"id": got["file_id"]}])
        assert await refused(again) == "file_not_found"  # a file completes once

    play(scenario)


def test_a_response_url_works_five_times() -> None:
    async def scenario(api: SlackApi, client: AsyncWebClient) -> None:
        url = api.response_url()
        async with aiohttp.ClientSession() as http:
            for i in range(6):
                async with http.post(url, json={"text": f"#{i}"}) as r:
                    assert (r.status, await r.text()) == (
                        (200, "ok") if i < 5 else (404, "used_url")
                    )
            api.response_life = 0.0
            async with http.post(api.response_url(), json={"text": "late"}) as r:
                assert (r.status, await r.text()) == (404, "expired_url")

    play(scenario)


def test_a_command_ack_slack_cannot_show_is_refused_and_shows_nothing() -> None:
    async def scenario(api: SlackApi, client: AsyncWebClient) -> None:
        fits = [section("x" * 3000)] * 4
        assert api.acked(api.response_url(), {"blocks": fits, "text": "t"})
        assert api.ack_refusals == [] and len(api.ephemerals) == 1
        for body in (
            {"blocks": [*fits, section("y")], "text": "t"},  # 12,001 characters of block text
            {"blocks": [section("z")] * 51, "text": "t"},  # 51 blocks
            {"blocks": [section("x", colour="red")], "text": "t"},  # not Block Kit
            {"text": "w" * 40001},
            {"response_type": "in_channel", "blocks": [*fits, section("y")], "text": "t"},
        ):
            assert api.acked(api.response_url(), body) == ""
        assert api.ack_refusals == [
            "msg_blocks_too_long",
            "invalid_blocks",
            "invalid_blocks",
            "msg_too_long",
            "msg_blocks_too_long",
        ]
        assert len(api.ephemerals) == 1 and api.posts("C1") == []  # nothing more was shown

    play(scenario)


def test_a_trigger_opens_one_modal_within_3_seconds() -> None:
    modal = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Subscribe"},
        "blocks": [section("hello")],
    }

    async def scenario(api: SlackApi, client: AsyncWebClient) -> None:
        tid = api.issue_trigger("T1", "U1")
        await client.views_open(trigger_id=tid, view=modal)
        assert await refused(client.views_open(trigger_id=tid, view=modal)) == (
            "exchanged_trigger_id"
        )
        assert await refused(client.views_open(trigger_id="1.2.3", view=modal)) == (
            "invalid_trigger_id"
        )
        long_title = {**modal, "title": {"type": "plain_text", "text": "x" * 25}}
        bad = client.views_open(trigger_id=api.issue_trigger("T1", "U1"), view=long_title)
        assert await refused(bad) == "invalid_arguments"
        api.home_enabled = False
        home = {"type": "home", "blocks": [section("hi")]}
        assert await refused(client.views_publish(user_id="U1", view=home)) == "not_enabled"

    play(scenario)
