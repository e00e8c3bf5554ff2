"""The Slack app over real HTTP, with the Web API stand-in, both on an event loop in a thread,
so tests (and Hypothesis) make plain synchronous HTTP requests to it."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import pytest
from pydantic import SecretStr
from redis import Redis as SyncRedis

from bot.slack_bot.app import build_app
from bot.slack_bot.client import make_client
from bot.slack_bot.http_server import bound_port, build_web, serve
from bot.slack_bot.services import Services, build_services
from bot.slack_bot.token_check import TokenCheck
from core.localtime import SystemClock
from core.pipeline import BuiltDay
from core.settings import DigestSettings, SlackSettings
from tests.bot.helpers import PREFIX, aredis
from tests.doubles.slack_api import SlackApi, command_body, signed_headers
from tests.doubles.slack_modals import submission, take_answer
from tests.doubles.slack_requests import event_body, interaction_body, signed_json_headers

SECRET = "test-signing-secret-0123456789"
TOKEN = "xoxb-T1-0000-test"
T = TypeVar("T")


class AckRefused(AssertionError):
    """Slack could not show a command's HTTP answer (too long, invalid blocks): the user saw
    "/aidigest failed with the error …" instead. Every test that sends a command fails on it."""


@dataclass
class Served:
    url: str
    api: SlackApi
    services: Services
    loop: asyncio.AbstractEventLoop
    check: TokenCheck
    shown_ts: str = ""  # the last command's reply, as Slack shows it

    def call(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(30)

    def command(
        self,
        text: str,
        *,
        user: str = "U1",
        channel: str = "C1",
        team: str = "T1",
        secret: str = SECRET,
        timestamp: int | None = None,
        response_url: str = "",
    ) -> httpx.Response:
        answer_to = response_url or self.api.response_url(team=team, channel=channel, user=user)
        trigger = self.api.issue_trigger(team, user)
        body = command_body(
            text, team=team, channel=channel, user=user, response_url=answer_to, trigger_id=trigger
        )
        headers = signed_headers(secret, body, timestamp)
        r = httpx.post(f"{self.url}/slack/events", content=body, headers=headers, timeout=3.0)
        if r.status_code == 200 and r.content:  # Slack shows the ack as the command's reply
            refused = len(self.api.ack_refusals)
            self.shown_ts = self.api.acked(answer_to, r.json())
            if self.api.ack_refusals[refused:]:  # the user saw Slack's error, not the answer
                raise AckRefused(f"Slack refused the ack: {self.api.ack_refusals[refused:]}")
        return r

    def interact(self, payload: dict[str, Any]) -> httpx.Response:
        """An interaction payload, signed and posted as Slack posts it."""
        body = interaction_body(payload)
        headers = signed_headers(SECRET, body)
        return httpx.post(f"{self.url}/slack/events", content=body, headers=headers, timeout=3.0)

    def press(self, where: str, action_id: str, **kw: Any) -> httpx.Response:
        """Press a button (or choose a menu option) Slack shows in `where` (a message's ts or a
        view's id); the app has answered (process_before_response) when this returns."""
        r = self.interact(self.api.press(where, action_id, **kw))
        assert r.status_code == 200, r.text
        return r

    def submit(self, view_id: str, entered: dict[str, Any]) -> str:
        """Submit an open modal with these values; what the user sees then (see take_answer)."""
        r = self.interact(submission(self.api, view_id, entered))
        body = r.json() if r.content else None
        return take_answer(self.api, view_id, r.status_code, body)

    def open_home(self, user: str = "U1", team: str = "T1") -> dict[str, Any] | None:
        """The user opens the app's Home tab; what it shows then."""
        event = {"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"}
        body = event_body(event, team=team)
        headers = signed_json_headers(SECRET, body)
        r = httpx.post(f"{self.url}/slack/events", content=body, headers=headers, timeout=3.0)
        assert r.status_code == 200, r.text
        return self.api.home(team, user)


def workspace(api: SlackApi, team: str = "T1", channels: int = 10) -> None:
    """What exists in Slack for these tests: the bot token, channels C0..C9 (public, the bot
    in them), and users U1 (a member) and U2 (an admin)."""
    api.grant(TOKEN, team=team)
    for i in range(channels):
        api.add_channel(f"C{i}", team=team)
    api.add_user("U1", team=team)
    api.add_user("U2", team=team, admin=True)


def digest_settings() -> DigestSettings:
    return DigestSettings(_env_file=None, language="en", key_prefix=PREFIX)  # type: ignore[call-arg]


def slack_settings(api: SlackApi, **kw: Any) -> SlackSettings:
    fields: dict[str, Any] = {
        "signing_secret": SecretStr(SECRET),
        "bot_token": SecretStr(TOKEN),
        "api_url": api.base_url,
        **kw,
    }
    return SlackSettings(_env_file=None, **fields)  # type: ignore[call-arg]


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    async def up() -> tuple[Served, Any]:
        api = SlackApi(interval=0.0)
        await api.start()
        workspace(api)
        redis = aredis()
        services = build_services(redis, digest_settings(), SystemClock())
        app = build_app(slack_settings(api), services, make_client(api.base_url, TOKEN))
        check = TokenCheck(make_client(api.base_url), TOKEN)
        web_app = build_web(app, redis, http_mode=True, signing_secret=SECRET, token=check)
        runner = await serve(web_app, "127.0.0.1", 0)
        url = f"http://127.0.0.1:{bound_port(runner)}"
        return Served(url, api, services, loop, check), runner

    served, runner = asyncio.run_coroutine_threadsafe(up(), loop).result(30)
    yield served

    async def down() -> None:
        await runner.cleanup()
        await served.api.close()
        await served.services.redis.aclose()

    served.call(down())
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)


@pytest.fixture
def app(served: Served, redis_db: SyncRedis) -> Iterator[Served]:
    served.api.reset()
    for token in served.api.tokens.values():
        token.revoked = False
    served.check.recheck = 300.0
    served.services.policy = "anyone"
    served.services.published("")  # forget answers and ready days of earlier tests
    assert served.services.reader.cache is not None
    served.services.reader.cache.clear()  # and their sections: Redis was emptied
    yield served


@pytest.fixture
def day(demo_day: BuiltDay) -> BuiltDay:
    return demo_day
