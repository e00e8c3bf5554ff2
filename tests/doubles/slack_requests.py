"""Requests *from* Slack to the app, as Slack makes them: slash commands, interactions and events,
signed with the app's signing secret (v0=HMAC-SHA256 of "v0:{timestamp}:{body}")."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode


def command_body(
    text: str,
    *,
    team: str = "T1",
    channel: str = "C1",
    user: str = "U1",
    response_url: str = "",
    command: str = "/aidigest",
    trigger_id: str = "1.2.3",
) -> str:
    """A slash command's form body, as Slack sends it."""
    return urlencode(
        {
            "token": "legacy",
            "team_id": team,
            "team_domain": team.lower(),
            "channel_id": channel,
            "channel_name": channel.lower(),
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0AIDIGEST",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
    )


def signed_headers(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """Slack's request signature: v0=HMAC-SHA256(secret, "v0:{ts}:{body}")."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


def interaction_body(payload: dict[str, Any]) -> str:
    """An interaction (block_actions, view_submission, …) as Slack posts it: a form with one
    field, `payload`, holding the JSON; signed like a slash command."""
    return urlencode({"payload": json.dumps(payload)})


def event_body(event: dict[str, Any], *, team: str = "T1", event_id: str = "") -> str:
    """An Events API callback (JSON), e.g. {"type": "app_home_opened", "user": …, "tab": …}."""
    return json.dumps(
        {
            "token": "legacy",
            "team_id": team,
            "api_app_id": "A0AIDIGEST",
            "type": "event_callback",
            "event": {"event_ts": f"{time.time():.6f}", **event},
            "event_id": event_id or f"Ev{time.time_ns()}",
            "event_time": int(time.time()),
        }
    )


def signed_json_headers(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    return {**signed_headers(secret, body, timestamp), "Content-Type": "application/json"}
