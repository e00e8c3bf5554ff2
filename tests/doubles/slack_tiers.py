"""Slack's Web API rate tiers, per method, per app and workspace (docs.slack.dev/apis/web-api/
rate-limits; each method's page names its tier).

Tier 1 allows 1+ requests a minute, tier 2 20+, tier 3 50+, tier 4 100+, each "+" being bursts
Slack may tolerate. The stand-in allows exactly the number in any sliding minute, never a burst
over it, so it is at least as strict; the 429 it answers carries Retry-After: the seconds until
the oldest request of the window leaves it. chat.postMessage has its own "special" limit (one
message a second per channel, in tests/doubles/slack_api.py); auth.test and oauth.v2.access are
"special" too, with no published number, and are not limited here.

`minute` may be shortened for a test that wants to see a tier refuse and recover quickly.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque

PER_MINUTE = {1: 1, 2: 20, 3: 50, 4: 100}
TIER = {
    "apps.connections.open": 3,
    "chat.delete": 3,
    "chat.postEphemeral": 4,
    "chat.update": 3,
    "conversations.history": 3,
    "conversations.info": 3,
    "conversations.join": 3,
    "conversations.replies": 3,
    "files.completeUploadExternal": 4,
    "files.delete": 3,
    "files.getUploadURLExternal": 4,
    "files.info": 4,
    "files.list": 3,
    "users.info": 4,
    "views.open": 4,
    "views.publish": 4,
    "views.push": 4,
    "views.update": 4,
}


def per_minute(method: str) -> int | None:
    """Requests a minute `method` allows per workspace, None for the special ones."""
    tier = TIER.get(method)
    return PER_MINUTE[tier] if tier else None


class RateTiers:
    def __init__(self, minute: float = 60.0) -> None:
        self.minute = minute
        self._seen: dict[tuple[str, str], deque[float]] = defaultdict(deque)

    def admit(self, team: str, method: str, now: float) -> int | None:
        """Count a request now; None if the tier allows it, else the Retry-After seconds."""
        limit = per_minute(method)
        if limit is None:
            return None
        window = self._seen[(team, method)]
        while window and window[0] <= now - self.minute:
            window.popleft()
        if len(window) >= limit:
            return max(1, math.ceil(window[0] + self.minute - now))
        window.append(now)
        return None

    def reset(self) -> None:
        self._seen.clear()
