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
from bot.slack_bot.services import Services, build_services
from bot.slack_bot.web import bound_port, build_web, serve
from core.localtime import SystemClock
from core.pipeline import BuiltDay
from core.settings import DigestSettings, SlackSettings
from tests.bot.helpers import PREFIX, aredis
from tests.doubles.slack_api import SlackApi, command_body, signed_headers

SECRET = "test-signing-secret-0123456789"
TOKEN = "xoxb-T1-0000-test"
T = TypeVar("T")


@dataclass
class Served:
    url: str
    api: SlackApi
    services: Services
    loop: asyncio.AbstractEventLoop

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
    ) -> httpx.Response:
        body = command_body(
            text, team=team, channel=channel, user=user, response_url=self.api.response_url()
        )
        headers = signed_headers(secret, body, timestamp)
        return httpx.post(f"{self.url}/slack/events", content=body, headers=headers, timeout=3.0)


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
        redis = aredis()
        services = build_services(redis, digest_settings(), SystemClock())
        app = build_app(slack_settings(api), services, make_client(api.base_url, TOKEN))
        runner = await serve(build_web(app, redis, http_mode=True), "127.0.0.1", 0)
        url = f"http://127.0.0.1:{bound_port(runner)}"
        return Served(url, api, services, loop), runner

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
    served.services.policy = "anyone"
    served.services.answers.clear()
    yield served


@pytest.fixture
def day(demo_day: BuiltDay) -> BuiltDay:
    return demo_day
