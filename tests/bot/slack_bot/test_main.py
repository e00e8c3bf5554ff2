"""The entry point refuses settings it cannot run with, saying what to set."""

from __future__ import annotations

import logging
import os
from typing import Any

import pytest
from pydantic import SecretStr

from bot.slack_bot.__main__ import problem
from bot.slack_bot.bolt_logger import bolt_logger
from core.settings import SlackSettings


@pytest.fixture(autouse=True)
def no_slack_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("SLACK_")]:
        monkeypatch.delenv(name)


def slack(**kw: Any) -> SlackSettings:
    values = {k: SecretStr(v) if k.endswith(("token", "secret")) else v for k, v in kw.items()}
    return SlackSettings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ({"bot_token": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"bot_token": "xoxb-1", "signing_secret": ""}, "SLACK_SIGNING_SECRET"),
        ({"signing_secret": "s"}, "SLACK_BOT_TOKEN"),
        ({"client_id": "1.2", "client_secret": "c", "app_token": "xapp-1"}, "HTTP mode"),
        ({"bot_token": "xoxb-1", "signing_secret": "s", "subscribe_policy": "x"}, "anyone"),
    ],
)
def test_what_is_missing_is_named(given: dict[str, Any], said: str) -> None:
    why = problem(slack(**given))
    assert why is not None and said in why


@pytest.mark.parametrize(
    "given",
    [
        {"bot_token": "xoxb-1", "signing_secret": "s"},
        {"bot_token": "xoxb-1", "app_token": "xapp-1"},
        {"client_id": "1.2", "client_secret": "c", "signing_secret": "s"},
    ],
)
def test_workable_settings_pass(given: dict[str, Any]) -> None:
    assert problem(slack(**given)) is None


def test_bolt_lines_that_quote_a_request_lose_it() -> None:
    logger = bolt_logger()
    record = logger.makeRecord(
        logger.name,
        logging.INFO,
        __file__,
        1,
        "Invalid request signature detected (signature: %s, timestamp: %s, body: %s)",
        ("v0=ab", "1", "response_url=https%3A%2F%2Fhooks.slack.com%2Fx&text=hi"),
        None,
    )
    assert all(f.filter(record) for f in logger.filters)
    withheld = "Invalid request signature detected (request withheld from the log)"
    assert record.getMessage() == withheld
    plain = logger.makeRecord(logger.name, logging.INFO, __file__, 1, "ready", (), None)
    assert all(f.filter(plain) for f in logger.filters) and plain.getMessage() == "ready"
