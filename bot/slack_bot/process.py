"""One `python -m bot.slack_bot` process: its parts, started and stopped in order.

Start: the bot token is checked with auth.test (and the app token by opening a Socket Mode URL)
before anything listens: a token Slack refuses ends the process with a message saying what to
fix; Slack out of reach does not (/healthz says so, and the check is asked again). Then the HTTP
server (Slack's requests in HTTP mode, /healthz in both), the Socket Mode connection (in the
background: it may retry for as long as Slack is away), and the delivery loop.

Stop (SIGTERM or SIGINT, in any state, including while Socket Mode cannot connect): the
delivery loop hands back what it claimed (bot/common/delivery.py), every part is closed with a
bound on its time, and a watchdog ends the process if all that takes more than STOP_WITHIN.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import threading
from collections.abc import Awaitable
from typing import Any, TypeVar

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_sdk.errors import SlackApiError

from bot.common.connection import connect, warm
from bot.common.delivery import Delivery, DeliveryConfig
from bot.slack_bot.app import build_app
from bot.slack_bot.client import make_client, make_session
from bot.slack_bot.http_server import build_web, serve
from bot.slack_bot.installation_store import RedisInstallationStore, RedisOAuthStateStore
from bot.slack_bot.pacer import ChannelPacer
from bot.slack_bot.poster import SlackPoster
from bot.slack_bot.services import build_services
from bot.slack_bot.token_check import REFUSED, TokenCheck, refusal_message
from core.heap import settle
from core.localtime import SystemClock
from core.settings import Settings
from core.store.async_reader import follow_ready
from core.store.keys import Keys

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
STOP_WITHIN = 4.5  # seconds from the signal to the end of the process, whatever happens
log = logging.getLogger("bot.slack_bot")
T = TypeVar("T")


class Stopped(Exception):
    """A signal came while the process was starting."""


async def unless_stopped(stop: asyncio.Event, work: Awaitable[T]) -> T:
    """`work`'s result, or Stopped (and `work` cancelled) if `stop` is set first."""
    task = asyncio.ensure_future(work)
    waiter = asyncio.ensure_future(stop.wait())
    await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    waiter.cancel()
    if task.done():
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task
    raise Stopped


def watch_signals(stop: asyncio.Event) -> None:
    """SIGTERM/SIGINT set `stop`; the first also arms the watchdog that ends the process if
    the clean stop overruns STOP_WITHIN (a hung connection, a Redis that does not answer)."""
    loop = asyncio.get_running_loop()

    def on_signal() -> None:
        if not stop.is_set():
            timer = threading.Timer(STOP_WITHIN, lambda: os._exit(1))
            timer.daemon = True
            timer.start()
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, on_signal)


async def app_token_refusal(api_url: str, app_token: str) -> str | None:
    """Why Slack refuses the app-level token (SLACK_APP_TOKEN), None if it takes it or is away."""
    try:
        await asyncio.wait_for(make_client(api_url).apps_connections_open(app_token=app_token), 5)
    except SlackApiError as e:
        error = str(e.response.get("error"))
        if error in REFUSED or error == "not_allowed_token_type":
            return (
                f"Slack refused SLACK_APP_TOKEN ({error}): generate an app-level token "
                "(xapp-…) with connections:write under Basic Information → App-Level Tokens."
            )
    except (TimeoutError, OSError):
        pass
    return None


async def run(settings: Settings, opts: argparse.Namespace) -> str | None:
    """Run until a signal; a message saying what to fix when the process cannot run."""
    stop = asyncio.Event()
    watch_signals(stop)
    try:
        return await _run(settings, opts, stop)
    except Stopped:
        log.info("stopped while starting")
        return None


async def _run(settings: Settings, opts: argparse.Namespace, stop: asyncio.Event) -> str | None:
    slack, digest = settings.slack, settings.digest
    url = settings.redis.url or DEFAULT_REDIS_URL
    token = slack.bot_token.get_secret_value() if slack.bot_token else None
    session = make_session()
    client = make_client(slack.api_url, token, session=session)
    check = TokenCheck(client, token)
    if token and await unless_stopped(stop, check.check()) in REFUSED:
        await session.close()
        return refusal_message(check.state)
    app_token = slack.app_token.get_secret_value() if slack.app_token else None
    if app_token and (
        why := await unless_stopped(stop, app_token_refusal(slack.api_url, app_token))
    ):
        await session.close()
        return why
    redis = connect(url)
    await unless_stopped(stop, warm(redis))
    clock = SystemClock(digest.clock_offset)
    keys = Keys(digest.key_prefix)
    installs = None if token else RedisInstallationStore(redis, keys)
    services = build_services(
        redis, digest, clock, policy=slack.subscribe_policy, installs=installs
    )
    services.http = session
    states = None if token else RedisOAuthStateStore(redis, keys)
    app = build_app(slack, services, client, state_store=states)
    secret = slack.signing_secret.get_secret_value() if slack.signing_secret else ""
    web_app = build_web(app, redis, http_mode=not app_token, signing_secret=secret, token=check)
    settle()  # no full collection walks start-up's objects mid-answer (core/heap.py)
    runner = await unless_stopped(stop, serve(web_app, opts.host, slack.port))
    tasks: list[asyncio.Task[Any]] = []
    handler = AsyncSocketModeHandler(app, app_token) if app_token else None
    if handler is not None:  # retries in the background for as long as Slack is away
        tasks.append(asyncio.create_task(handler.connect_async()))  # type: ignore[no-untyped-call]
    delivery_task = None
    # drop cached answers and sections the moment a day is published: the delivery loop reads
    # those events too, but only between posts, which may take minutes
    tasks.append(asyncio.create_task(follow_ready(redis, keys, services.published)))
    if not opts.no_delivery:

        async def token_for(team: str) -> str | None:
            if token:
                return token  # one workspace
            return await installs.bot_token(team) if installs else None

        poster = SlackPoster(client, token_for, ChannelPacer(opts.pace), links=services.links)
        delivery = Delivery(
            redis,
            services.keys,
            services.reader,
            poster,
            clock,
            DeliveryConfig(lease=opts.lease),
            on_ready=services.published,  # before it posts a day it was told of
        )
        delivery_task = asyncio.create_task(delivery.run(stop))
    mode = "socket" if app_token else "http"
    log.info("slack bot ready: %s mode, port %d", mode, slack.port)
    await stop.wait()
    log.info("stopping")
    await _close(handler, tasks, delivery_task, runner.cleanup())
    with contextlib.suppress(Exception):
        await asyncio.wait_for(session.close(), 0.5)
    with contextlib.suppress(Exception):
        await asyncio.wait_for(redis.aclose(), 0.5)  # type: ignore[attr-defined]
    return None


async def _close(
    handler: AsyncSocketModeHandler | None,
    tasks: list[asyncio.Task[Any]],
    delivery: asyncio.Task[None] | None,
    cleanup: Awaitable[None],
) -> None:
    """Stop taking requests and hand back claims, each step bounded (3.5 s in all)."""
    if handler is not None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(handler.close_async(), 1.0)  # type: ignore[no-untyped-call]
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    if delivery is not None:  # it winds down on `stop`: grace, then claims handed back
        with contextlib.suppress(Exception):
            await asyncio.wait_for(delivery, DeliveryConfig.grace + 1.5)
    with contextlib.suppress(Exception):
        await asyncio.wait_for(cleanup, 1.0)
