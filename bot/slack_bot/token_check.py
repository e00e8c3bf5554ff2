"""Whether Slack takes the bot token: auth.test at start (a refused token stops the process with
a message that says what to fix) and again, at most every `recheck` seconds, for /healthz.

States: "ok"; Slack's refusal ("invalid_auth", "token_revoked", "account_inactive",
"not_authed": a person must fix the token); "unreachable" (Slack or the network is away: the
process keeps running and asks again); "oauth" (many workspaces: a token per workspace, none
to check here).
"""

from __future__ import annotations

import asyncio
import logging
import time

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

REFUSED = {"invalid_auth", "token_revoked", "account_inactive", "not_authed", "token_expired"}
log = logging.getLogger(__name__)


class TokenCheck:
    def __init__(
        self, client: AsyncWebClient, token: str | None, recheck: float = 300.0, timeout: float = 5
    ) -> None:
        self.client = client
        self.token = token
        self.recheck = recheck
        self.timeout = timeout
        self.state = "unchecked" if token else "oauth"
        self.team = ""
        self._at = -float("inf")

    @property
    def refused(self) -> bool:
        return self.state in REFUSED

    async def check(self) -> str:
        """Ask Slack now (bounded by `timeout`); the new state."""
        if self.token is None:
            return self.state
        self._at = time.monotonic()
        try:
            got = await asyncio.wait_for(
                self.client.auth_test(token=self.token), timeout=self.timeout
            )
        except SlackApiError as e:
            error = str(e.response.get("error") or "")
            self.state = error if error in REFUSED else "unreachable"
        except (TimeoutError, OSError, ValueError) as e:
            log.warning("auth.test failed: %s", type(e).__name__)
            self.state = "unreachable"
        else:
            self.state, self.team = "ok", str(got.get("team_id") or "")
        return self.state

    async def current(self) -> str:
        """The state, asked again once `recheck` seconds have passed since the last ask."""
        if self.token is not None and time.monotonic() - self._at >= self.recheck:
            await self.check()
        return self.state


def refusal_message(state: str) -> str:
    return (
        f"Slack refused SLACK_BOT_TOKEN ({state}). Copy the Bot User OAuth Token (xoxb-…) "
        "from https://api.slack.com/apps → your app → OAuth & Permissions (reinstall the app "
        "if it was revoked) into SLACK_BOT_TOKEN."
    )
