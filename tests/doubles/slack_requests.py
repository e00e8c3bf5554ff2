"""Requests *from* Slack to the app, as Slack makes them: slash command bodies, signed."""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import urlencode


def command_body(
    text: str,
    *,
    team: str = "T1",
    channel: str = "C1",
    user: str = "U1",
    response_url: str = "",
    command: str = "/aidigest",
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
            "trigger_id": "1.2.3",
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
