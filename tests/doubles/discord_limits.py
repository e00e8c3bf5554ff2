"""Discord's rate limits as the stand-in enforces them: per-route buckets and a global limit.

A bucket is a route template plus its major parameter (channel, guild or webhook), counted in
fixed windows as Discord does; every answer carries the X-RateLimit-* headers discord.py reads,
and a 429 has the JSON body (`retry_after`, `global`) and the `Via` header that tell discord.py it
is Discord's limit rather than a Cloudflare ban. A request that arrives while its bucket (or the
global limit) is cooling down after a 429, later than the requests already in flight could, is
counted in `past_429`: a client that does that hammers the route.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass, field
from typing import Any

IN_FLIGHT_GRACE = 0.05  # seconds: requests sent before the 429 reached the client


@dataclass(frozen=True)
class Limit:
    limit: int
    per: float  # seconds


UNLIMITED = Limit(1000, 1.0)  # `{"off": true}`: for tests about something else entirely
# Discord's limits, on unless told otherwise. Global: 50 requests per second per bot (documented;
# interaction callbacks and followups are outside it). Per route: Discord does not publish them
# and says to read the headers; these are the ones bots observe (a channel takes 5 messages per
# 5 seconds, a webhook 5 per 2 seconds), and a modest default for the rest.
GLOBAL = Limit(50, 1.0)
ROUTE = Limit(5, 1.0)
ROUTES = {
    "POST /channels/{channel_id}/messages": Limit(5, 5.0),
    "POST /webhooks/{webhook_id}/{token}": Limit(5, 2.0),
    "PATCH /webhooks/{webhook_id}/{token}/messages/{message_id}": Limit(5, 2.0),
}


@dataclass
class _Window:
    count: int = 0
    reset_at: float = 0.0
    limited_at: float = 0.0  # when the last 429 was given
    cooldown_until: float = 0.0


@dataclass
class Verdict:
    status: int  # 200 to go on, or 429
    headers: dict[str, str]
    body: dict[str, Any] | None = None


@dataclass
class RateLimits:
    route: Limit = ROUTE  # every bucket's limit unless `routes` names its template
    routes: dict[str, Limit] = field(default_factory=lambda: dict(ROUTES))
    global_: Limit | None = GLOBAL
    requests: int = 0
    limited: int = 0  # 429s answered
    past_429: int = 0
    invalid: int = 0  # 401, 403 and 429 answers: Discord bans an IP over 10,000 in 10 minutes
    log: list[tuple[float, str, str, int]] = field(default_factory=list)  # t, route, major, status
    _windows: dict[tuple[str, str], _Window] = field(default_factory=dict)
    _global: _Window = field(default_factory=_Window)

    def configure(self, data: dict[str, Any]) -> None:
        """Discord's limits, with what `data` changes: {"route": default, "routes": {template:
        limit}, "global": limit or null}, each limit {"limit", "per"}; {"off": true}: none."""

        def lim(v: Any) -> Limit | None:
            return Limit(int(v["limit"]), float(v["per"])) if v else None

        off = bool(data.get("off"))
        self.route = UNLIMITED if off else lim(data.get("route")) or ROUTE
        named = {k: lim(v) or UNLIMITED for k, v in (data.get("routes") or {}).items()}
        self.routes = named if off or "route" in data else {**ROUTES, **named}
        self.global_ = None if off else lim(data["global"]) if "global" in data else GLOBAL
        self._windows.clear()
        self._global = _Window()

    def reset_stats(self) -> None:
        self.requests = self.limited = self.past_429 = self.invalid = 0
        self.log.clear()

    def check(self, route: str, major: str, *, global_: bool) -> Verdict:
        """Count one request to `route`, a template: "POST /channels/{channel_id}/messages"."""
        now = time.monotonic()
        win = self._arrive(route, major, now, global_=global_)
        if global_ and self.global_ is not None:
            g = _advance(self._global, self.global_, now)
            if g.count >= self.global_.limit:
                return self._limited(route, major, g, now, scope="global")
        limit = self.routes.get(route, self.route)
        w = _advance(win, limit, now)
        if w.count >= limit.limit:
            return self._limited(route, major, w, now, scope="user", limit=limit)
        w.count += 1
        if global_ and self.global_ is not None:
            self._global.count += 1
        self.log.append((now, route, major, 200))
        return Verdict(200, _headers(route, limit, w, now))

    def inject_429(self, route: str, major: str, retry_after: float) -> Verdict:
        """A 429 on this bucket now (a fault), with the bucket closed for `retry_after` seconds."""
        now = time.monotonic()
        win = self._arrive(route, major, now, global_=False)
        limit = self.routes.get(route, self.route)
        win.count, win.reset_at = limit.limit, now + retry_after
        return self._limited(route, major, win, now, scope="user", limit=limit)

    def _arrive(self, route: str, major: str, now: float, *, global_: bool) -> _Window:
        self.requests += 1
        win = self._windows.setdefault((route, major), _Window())
        cooling = [win, self._global] if global_ else [win]
        if any(w.limited_at + IN_FLIGHT_GRACE < now < w.cooldown_until for w in cooling):
            self.past_429 += 1
        return win

    def _limited(
        self,
        route: str,
        major: str,
        w: _Window,
        now: float,
        *,
        scope: str,
        limit: Limit | None = None,
    ) -> Verdict:
        self.limited += 1
        self.log.append((now, route, major, 429))
        retry = max(w.reset_at - now, 0.001)
        w.limited_at, w.cooldown_until = now, w.reset_at
        headers = {"Retry-After": str(math.ceil(retry)), "X-RateLimit-Scope": scope}
        if scope == "global":
            headers["X-RateLimit-Global"] = "true"
        else:
            headers.update(_headers(route, limit or self.route, w, now))
        body = {"message": "You are being rate limited.", "retry_after": round(retry, 3),
                "global": scope == "global"}  # fmt: skip
        return Verdict(429, headers, body)


def _advance(w: _Window, limit: Limit, now: float) -> _Window:
    if now >= w.reset_at:
        w.count, w.reset_at = 0, now + limit.per
    return w


def _headers(route: str, limit: Limit, w: _Window, now: float) -> dict[str, str]:
    reset_after = max(w.reset_at - now, 0.0)
    return {
        "X-RateLimit-Limit": str(limit.limit),
        "X-RateLimit-Remaining": str(max(limit.limit - w.count, 0)),
        "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
        "X-RateLimit-Reset-After": f"{reset_after:.3f}",
        "X-RateLimit-Bucket": hashlib.sha1(route.encode()).hexdigest()[:16],
    }
