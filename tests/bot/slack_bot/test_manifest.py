"""The manifest asks for what the app uses: the command, the scopes, the events it listens to,
interactivity (buttons, menus, modals) and the Home tab."""

from __future__ import annotations

import re

from bot.slack_bot.app import BOT_SCOPES
from bot.slack_bot.command import COMMAND
from tests import ROOT

MANIFEST = (ROOT / "bot/slack_bot/manifest.yml").read_text()


def block(key: str, end: str) -> str:
    """The manifest's text from `key:` to the next `end`."""
    return MANIFEST.split(f"{key}:\n", 1)[1].split(end, 1)[0]


def test_scopes_match_the_app() -> None:
    bot = block("    bot", "settings:")
    assert re.findall(r"^\s+- ([\w:.]+)", bot, re.MULTILINE) == BOT_SCOPES


def test_the_command_events_interactivity_and_home_tab_are_declared() -> None:
    assert f"- command: {COMMAND}\n" in MANIFEST
    events = block("bot_events", "interactivity:")
    assert re.findall(r"^\s+- (\w+)", events, re.MULTILINE) == [
        "app_home_opened",
        "app_uninstalled",
        "tokens_revoked",
    ]
    interactivity = block("  interactivity", "org_deploy_enabled")
    assert re.search(r"is_enabled: true", interactivity)
    assert re.search(r"request_url: \S+/slack/events\n", interactivity)
    assert re.search(r"home_tab_enabled: true", block("  app_home", "bot_user"))
    assert MANIFEST.count("/slack/events") == 3 and "/slack/oauth_redirect" in MANIFEST
