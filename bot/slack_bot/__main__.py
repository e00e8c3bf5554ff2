"""`python -m bot.slack_bot`: the Slack app and the daily-post loop, in one process.

Socket Mode when SLACK_APP_TOKEN is set, else HTTP on SLACK_PORT (POST /slack/events, and
/slack/install + /slack/oauth_redirect with SLACK_CLIENT_ID for many workspaces); /healthz on
SLACK_PORT in both modes. Any number of these processes may run: they share the delivery work
through Redis and never post a subscription twice. A token Slack refuses stops it at start with
a message; SIGTERM/SIGINT stop it within 5 s in any state (bot/slack_bot/process.py).
"""

from __future__ import annotations

import argparse
import os

from bot.common.delivery import DeliveryConfig
from bot.slack_bot.process import run
from core import event_loop
from core.logs import setup_logging
from core.settings import SlackSettings, load_settings


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
    if (why := event_loop.run(run(settings, opts))) is not None:
        raise SystemExit(f"bot.slack_bot: {why}")


if __name__ == "__main__":
    main()
