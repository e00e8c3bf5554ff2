"""Socket Mode (SLACK_APP_TOKEN): the app opens a WebSocket from apps.connections.open and
answers a slash command envelope with its reply as the ack payload."""

from __future__ import annotations

import asyncio

import pytest
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.slack_bot.app import build_app
from bot.slack_bot.client import make_client
from bot.slack_bot.services import build_services
from core.localtime import SystemClock
from core.pipeline import BuiltDay
from tests.bot.helpers import aredis, publish, run
from tests.bot.slack_bot.conftest import TOKEN, digest_settings, slack_settings, workspace
from tests.doubles.slack_api import SlackApi

pytestmark = pytest.mark.usefixtures("redis_db")


def test_a_command_over_socket_mode(demo_day: BuiltDay) -> None:
    publish(demo_day)

    async def scenario() -> dict[str, object]:
        api = SlackApi(interval=0.0)
        await api.start()
        workspace(api)
        api.grant("xapp-1-A0-test", team="T1", kind="app")
        redis = aredis()
        services = build_services(redis, digest_settings(), SystemClock())
        app = build_app(slack_settings(api), services, make_client(api.base_url, TOKEN))
        handler = AsyncSocketModeHandler(app, "xapp-1-A0-test")
        await handler.connect_async()
        try:
            for _ in range(100):
                if api._sockets:
                    break
                await asyncio.sleep(0.02)
            await api.push(
                {
                    "envelope_id": "env-1",
                    "type": "slash_commands",
                    "accepts_response_payload": True,
                    "payload": {
                        "command": "/aidigest",
                        "text": "papers llm 2024-10-04",
                        "team_id": "T1",
                        "channel_id": "C1",
                        "user_id": "U1",
                        "response_url": api.response_url(),
                        "api_app_id": "A0",
                        "trigger_id": "t",
                    },
                }
            )
            for _ in range(250):
                if any(a.get("envelope_id") == "env-1" for a in api.socket_acks):
                    break
                await asyncio.sleep(0.02)
        finally:
            await handler.close_async()
            await redis.aclose()
            await api.close()
        return next(a for a in api.socket_acks if a.get("envelope_id") == "env-1")

    ack = run(scenario())
    payload = ack["payload"]
    assert isinstance(payload, dict)
    assert payload["blocks"][0]["text"]["text"] == "LLM · Papers · 2024-10-04"
