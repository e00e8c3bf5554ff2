"""The manifest asks for what the app uses: the command, the scopes, the events it listens to."""

from __future__ import annotations

import re

from bot.slack_bot.app import BOT_SCOPES
from bot.slack_bot.command import COMMAND
from tests import ROOT

MANIFEST = (ROOT / "bot/slack_bot/manifest.yml").read_text()


def test_scopes_match_the_app() -> None:
    bot = MANIFEST.split("    bot:\n", 1)[1].split("settings:", 1)[0]
    assert re.findall(r"^\s+- ([\w:.]+)", bot, re.MULTILINE) == BOT_SCOPES


def test_the_command_and_events_are_declared() -> None:
    assert f"- command: {COMMAND}\n" in MANIFEST
    events = MANIFEST.split("bot_events:\n", 1)[1].split("org_deploy_enabled", 1)[0]
    assert re.findall(r"^\s+- (\w+)", events, re.MULTILINE) == ["app_uninstalled", "tokens_revoked"]
    assert MANIFEST.count("/slack/events") == 2 and "/slack/oauth_redirect" in MANIFEST
