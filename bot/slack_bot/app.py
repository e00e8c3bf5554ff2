"""The Bolt AsyncApp: one workspace with SLACK_BOT_TOKEN, or many through Bolt's OAuth flow
(HTTP mode) with installations and OAuth states on our Redis. Listener groups register here."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_bot import buttons, command, home_tab, lifecycle
from bot.slack_bot.bolt_logger import bolt_logger
from bot.slack_bot.services import Services
from core.settings import SlackSettings

# What the app asks for when installed (keep in step with manifest.yml).
BOT_SCOPES = [
    "commands",  # /aidigest
    "chat:write",  # the daily post
    "chat:write.public",  # post in public channels without being invited
    "files:write",  # the charts
    "files:read",  # where a chart was shared (its message is the thread's parent)
    "channels:join",  # sharing a file in a public channel needs membership
    "users:read",  # is the caller an admin (SLACK_SUBSCRIBE_POLICY=admins)
    "channels:read",  # a channel chosen in the Home tab: can the bot post there?
    "groups:read",
    "channels:history",  # find a message again after a crash, instead of posting twice
    "groups:history",
]


def build_app(
    slack: SlackSettings,
    services: Services,
    client: AsyncWebClient,
    *,
    state_store: AsyncOAuthStateStore | None = None,
    logger: logging.Logger | None = None,
) -> AsyncApp:
    """`client` carries the bot token for one workspace, or none for OAuth (then `services`
    must hold the installation store and `state_store` the OAuth states)."""
    secret = slack.signing_secret.get_secret_value() if slack.signing_secret else ""
    oauth = None
    if client.token is None:
        if services.installs is None or state_store is None or not slack.client_id:
            raise ValueError("set SLACK_BOT_TOKEN, or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET")
        if slack.client_secret is None:
            raise ValueError("SLACK_CLIENT_SECRET is required with SLACK_CLIENT_ID")
        oauth = AsyncOAuthSettings(
            client_id=slack.client_id,
            client_secret=slack.client_secret.get_secret_value(),
            scopes=BOT_SCOPES,
            user_scopes=[],
            installation_store=services.installs,
            installation_store_bot_only=True,
            state_store=state_store,
        )
    app = AsyncApp(
        name="aidigest",
        client=client,
        signing_secret=secret,
        # The listener runs before the HTTP answer, so the answer can be the reply; the
        # listener itself bounds its time (Services.ack_budget).
        process_before_response=True,
        installation_store=services.installs if oauth else None,
        installation_store_bot_only=True if oauth else None,
        oauth_settings=oauth,
        logger=logger or bolt_logger(),
    )
    command.register(app, services)
    buttons.register(app, services)
    home_tab.register(app, services)
    lifecycle.register(app, services)
    buttons.register_fallback(app, services)  # last: a button no listener above took
    return app
