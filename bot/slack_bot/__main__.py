"""`python -m bot.slack_bot`: the Slack app and the daily-post loop, in one process.

Socket Mode when SLACK_APP_TOKEN is set, else HTTP on SLACK_PORT (POST /slack/events, and
/slack/install + /slack/oauth_redirect with SLACK_CLIENT_ID for many workspaces); /healthz on
SLACK_PORT in both modes. Any number of these processes may run: they share the delivery work
through Redis and never post a subscription twice. SIGTERM stops it cleanly.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.common.connection import connect
from bot.common.delivery import Delivery, DeliveryConfig
from bot.slack_bot.app import build_app
from bot.slack_bot.client import make_client, make_session
from bot.slack_bot.installation_store import RedisInstallationStore, RedisOAuthStateStore
from bot.slack_bot.pacer import ChannelPacer
from bot.slack_bot.poster import SlackPoster
from bot.slack_bot.services import build_services
from bot.slack_bot.web import build_web, serve
from core.localtime import SystemClock
from core.logs import setup_logging
from core.settings import Settings, SlackSettings, load_settings
from core.store.async_reader import follow_ready
from core.store.keys import Keys

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
log = logging.getLogger("bot.slack_bot")


def problem(slack: SlackSettings) -> str | None:
    """What is missing from the Slack settings, said so that it can be fixed; None if fine."""
    if not slack.app_token and not slack.signing_secret:
        return "HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode)"
    if not slack.bot_token and not (slack.client_id and slack.client_secret):
        return "set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET"
    if not slack.bot_token and slack.app_token:
        return "the OAuth install flow needs HTTP mode: unset SLACK_APP_TOKEN"
    if slack.subscribe_policy not in ("anyone", "admins"):
        return "SLACK_SUBSCRIBE_POLICY must be anyone or admins"
    return None


async def run(settings: Settings, opts: argparse.Namespace) -> None:
    slack, digest = settings.slack, settings.digest
    url = settings.redis.url or DEFAULT_REDIS_URL
    redis = connect(url)
    clock = SystemClock(settings.digest.clock_offset)
    token = slack.bot_token.get_secret_value() if slack.bot_token else None
    keys = Keys(digest.key_prefix)
    installs = None if token else RedisInstallationStore(redis, keys)
    services = build_services(
        redis, digest, clock, policy=slack.subscribe_policy, installs=installs
    )
    session = make_session()
    client = make_client(slack.api_url, token, session=session)
    states = None if token else RedisOAuthStateStore(redis, keys)
    app = build_app(slack, services, client, state_store=states)
    socket_mode = bool(slack.app_token)

    async def token_for(team: str) -> str | None:
        if token:
            return token  # one workspace
        return await installs.bot_token(team) if installs else None

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    runner = await serve(build_web(app, redis, http_mode=not socket_mode), opts.host, slack.port)
    handler = None
    if socket_mode:
        assert slack.app_token is not None
        handler = AsyncSocketModeHandler(app, slack.app_token.get_secret_value())
        await handler.connect_async()  # type: ignore[no-untyped-call]
    tasks = []
    if opts.no_delivery:  # still drop cached answers when a day is published
        ready = follow_ready(redis, keys, services.answers.clear)
        tasks.append(asyncio.create_task(ready))
    else:
        poster = SlackPoster(client, token_for, ChannelPacer(opts.pace))
        config = DeliveryConfig(lease=opts.lease)
        delivery = Delivery(
            redis,
            services.keys,
            services.reader,
            poster,
            clock,
            config,
            on_ready=services.answers.clear,
        )
        tasks.append(asyncio.create_task(delivery.run(stop)))
    log.info("slack bot ready: %s mode, port %d", "socket" if socket_mode else "http", slack.port)
    await stop.wait()
    log.info("stopping")
    if opts.no_delivery:
        tasks[0].cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    if handler is not None:
        await handler.close_async()  # type: ignore[no-untyped-call]
    await runner.cleanup()
    await session.close()
    await redis.aclose()  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.slack_bot", description=__doc__)
    parser.add_argument("--host", default="0.0.0.0", help="interface to listen on")
    parser.add_argument("--no-delivery", action="store_true", help="answer commands only")
    parser.add_argument(
        "--pace",
        type=float,
        default=1.0,
        help="seconds between two messages in one channel (Slack: 1)",
    )
    parser.add_argument(
        "--lease",
        type=float,
        default=DeliveryConfig.lease,
        help="seconds a claimed post is ours before another process may take it",
    )
    opts = parser.parse_args()
    settings = load_settings()
    s = settings.slack
    if (why := problem(s)) is not None:
        raise SystemExit(f"bot.slack_bot: {why}")
    secrets = [
        x.get_secret_value()
        for x in (s.bot_token, s.app_token, s.signing_secret, s.client_secret)
        if x is not None
    ]
    setup_logging(settings.digest.log_format, secrets=[*secrets, *settings.secrets()])
    # Bolt turns OAuth on by itself when these are in the environment, even empty.
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"):
        if not os.environ.get(name):
            os.environ.pop(name, None)
    asyncio.run(run(settings, opts))


if __name__ == "__main__":
    main()
