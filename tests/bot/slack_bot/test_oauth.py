"""Many workspaces: Bolt's OAuth flow over HTTP with installations and states in our Redis,
then commands and the poster's tokens per workspace, and an uninstall that forgets it all."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr

from bot.common.subscription_store import Subscriptions
from bot.slack_bot.app import build_app
from bot.slack_bot.client import make_client
from bot.slack_bot.http_server import bound_port, build_web, serve
from bot.slack_bot.installation_store import RedisInstallationStore, RedisOAuthStateStore
from bot.slack_bot.services import build_services
from core.localtime import SystemClock
from core.settings import SlackSettings
from core.store.keys import Keys
from tests.bot.helpers import PREFIX, aredis, run, slack_sub
from tests.bot.slack_bot.conftest import SECRET, digest_settings
from tests.doubles.slack_api import SlackApi, command_body, signed_headers

pytestmark = pytest.mark.usefixtures("redis_db")


async def oauth_app(api: SlackApi) -> tuple[str, Any, Any]:
    redis = aredis()
    installs = RedisInstallationStore(redis, Keys(PREFIX))
    services = build_services(
        redis,
        digest_settings(),
        SystemClock(),
        installs=installs,
    )
    settings = SlackSettings(
        _env_file=None,
        signing_secret=SecretStr(SECRET),  # type: ignore[call-arg]
        client_id="111.222",
        client_secret=SecretStr("oauth-secret"),
        api_url=api.base_url,
    )
    app = build_app(
        settings,
        services,
        make_client(api.base_url),
        state_store=RedisOAuthStateStore(redis, Keys(PREFIX)),
    )
    web_app = build_web(app, redis, http_mode=True, signing_secret=SECRET)
    runner = await serve(web_app, "127.0.0.1", 0)
    return f"http://127.0.0.1:{bound_port(runner)}", runner, services


def test_install_then_use_then_uninstall() -> None:
    async def scenario() -> None:
        api = SlackApi(interval=0.0)
        await api.start()
        url, runner, services = await oauth_app(api)
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{url}/slack/install") as r:
                assert r.status == 200
                page, cookie = await r.text(), r.headers["Set-Cookie"].split(";")[0]
            state = cookie.split("=", 1)[1]
            assert f"state={state}" in page and "client_id=111.222" in page
            back = f"{url}/slack/oauth_redirect?code=code-T777&state={state}"
            async with http.get(back, headers={"Cookie": cookie}) as r:
                assert r.status == 200
            async with http.get(back, headers={"Cookie": cookie}) as r:  # a state works once
                assert r.status != 200
            token = await services.installs.bot_token("T777")
            assert token is not None and token.startswith("xoxb-T777-")
            assert api.count("oauth.v2.access") == 1

            body = command_body("subscribe papers llm", team="T777", channel="C7")
            async with http.post(
                f"{url}/slack/events", data=body, headers=signed_headers(SECRET, body)
            ) as r:
                assert r.status == 200 and "Subscribed" in await r.text()
            body = command_body("help", team="T404")  # never installed
            async with http.post(
                f"{url}/slack/events", data=body, headers=signed_headers(SECRET, body)
            ) as r:
                assert "/aidigest subscribe" not in await r.text()

            event = json.dumps(
                {
                    "type": "event_callback",
                    "team_id": "T777",
                    "api_app_id": "A0",
                    "event": {"type": "app_uninstalled"},
                    "event_id": "Ev1",
                    "event_time": 1,
                }
            )
            headers = {**signed_headers(SECRET, event), "Content-Type": "application/json"}
            async with http.post(f"{url}/slack/events", data=event, headers=headers) as r:
                assert r.status == 200
        assert await services.installs.bot_token("T777") is None
        assert await services.subs.of_team("slack", "T777") == []
        await runner.cleanup()
        await services.redis.aclose()
        await api.close()

    run(scenario())


def test_the_state_store_issues_states_that_work_once() -> None:
    async def scenario() -> None:
        r = aredis()
        states = RedisOAuthStateStore(r, Keys(PREFIX), expiration_seconds=60)
        a, b = await states.async_issue(), await states.async_issue()
        assert a != b
        assert await states.async_consume(a) and not await states.async_consume(a)
        assert not await states.async_consume("made-up")
        assert 0 < await r.ttl(f"{PREFIX}:slack:oauth_state:{b}") <= 60
        await r.aclose()

    run(scenario())


def test_subscriptions_of_a_team_are_listed_and_removed_together() -> None:
    async def scenario() -> None:
        r = aredis()
        subs = Subscriptions(r, Keys(PREFIX))
        for ch in ("C1", "C2"):
            await subs.save(slack_sub(ch, team="T9", kinds=["news"], tz="UTC"), now=0)
        assert [s.channel for s in await subs.of_team("slack", "T9")] == ["C1", "C2"]
        assert await subs.remove_team("slack", "T9") == 2
        assert await r.zcard(Keys(PREFIX).due("slack")) == 0
        await r.aclose()

    run(scenario())
