"""The requests bench/slack.py sends and how it times them: days to publish, signed slash
commands (one text over and over: cached; a different category and date each: uncached), and
signed button presses (block_actions, a different section each), `concurrency` in flight."""

from __future__ import annotations

import asyncio
import time
from datetime import date, timedelta
from typing import Any

import aiohttp
from redis import Redis

from core.demo import build_demo_day
from core.store.keys import Keys
from core.store.writer import save_day
from tests.days import redate
from tests.doubles.slack_requests import command_body, interaction_body, signed_headers

Request = tuple[str, str]  # (body, content type)


def publish_days(redis_url: str, prefix: str, last: str, days: int) -> tuple[int, list[str]]:
    """The demo day under `days` dates ending at `last`; (messages a channel gets for one day,
    [(kind, category)] with a section every day)."""
    built = build_demo_day(["en"])
    r = Redis.from_url(redis_url)
    end = date.fromisoformat(last)
    for i in range(days):
        save_day(r, Keys(prefix), redate(built, end - timedelta(days=i)), retention_days=3650)
    pairs = [f"{s.kind} {s.category}" for s in built.digests["en"].sections]
    return 1 + len(built.digests["en"].sections), pairs


def dates(last: str, days: int) -> list[str]:
    end = date.fromisoformat(last)
    return [(end - timedelta(days=i)).isoformat() for i in range(days)]


def commands(texts: list[str]) -> list[Request]:
    form = "application/x-www-form-urlencoded"
    return [(command_body(t, channel=f"C{i % 97}"), form) for i, t in enumerate(texts)]


def uncached_texts(pairs: list[str], days: list[str], n: int) -> list[str]:
    """n command texts, no two alike: every section pair on every day."""
    texts = [f"{pair} {day}" for day in days for pair in pairs]
    if len(texts) < n:
        raise SystemExit(f"bench: only {len(texts)} distinct sections for {n} uncached requests")
    return texts[:n]


def presses(pairs: list[str], days: list[str], n: int, response_urls: list[str]) -> list[Request]:
    """n presses of a category button in an ephemeral overview, a different section each."""
    out = []
    targets = [(p.split(" ")[0], p.split(" ")[1], d) for d in days for p in pairs]
    for i, ((kind, cat, day), url) in enumerate(zip(targets[:n], response_urls, strict=True)):
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": "U1", "username": "u1", "name": "u1", "team_id": "T1"},
            "api_app_id": "A0AIDIGEST",
            "token": "legacy",
            "container": {
                "type": "message",
                "message_ts": f"1700000000.{i:06d}",
                "channel_id": f"C{i % 97}",
                "is_ephemeral": True,
            },
            "trigger_id": f"{i}.1.bench",
            "team": {"id": "T1", "domain": "t1"},
            "channel": {"id": f"C{i % 97}", "name": "c"},
            "response_url": url,
            "actions": [
                {
                    "type": "button",
                    "action_id": f"aidigest.v1.open.{cat}",
                    "block_id": "b",
                    "value": f"{kind}|{cat}|{day}|en",
                    "action_ts": "1700000000.1",
                }
            ],
        }
        out.append((interaction_body(payload), "application/x-www-form-urlencoded"))
    return out


async def arrivals(api: str, urls: list[str], sent: list[float]) -> list[float]:
    """Milliseconds from each press to its answer reaching the press's response_url (as the
    Web API stand-in saw it arrive): what the user waits for."""
    async with aiohttp.ClientSession() as http, http.get(f"{api}/_responses") as r:
        got = {x["rid"]: float(x["at"]) for x in await r.json()}
    rids = [u.rsplit("/", 1)[-1] for u in urls]
    missing = [rid for rid in rids if rid not in got]
    if missing:
        raise SystemExit(f"bench: {len(missing)} presses were never answered")
    return [(got[rid] - t) * 1000 for rid, t in zip(rids, sent, strict=True)]


async def response_urls(api: str, n: int) -> list[str]:
    """n response_urls the Web API stand-in issued (presses each carry their own)."""
    async with aiohttp.ClientSession() as http:
        out = []
        for i in range(n):
            body = {"team": "T1", "channel": f"C{i % 97}", "user": "U1"}
            async with http.post(f"{api}/_response_url", json=body) as r:
                out.append(str((await r.json())["url"]))
        return out


def client(concurrency: int) -> aiohttp.ClientSession:
    """One pool of `concurrency` kept-alive connections to one server, for every phase (as
    Slack's requests reach a deployed app: new connections are not what is measured)."""
    conn = aiohttp.TCPConnector(limit=concurrency)
    return aiohttp.ClientSession(connector=conn, timeout=aiohttp.ClientTimeout(total=10))


async def latencies(
    http: aiohttp.ClientSession,
    url: str,
    requests: list[Request],
    concurrency: int,
    secret: str,
    sent: list[float] | None = None,
) -> list[float]:
    """Milliseconds from sending each signed request to its whole answer (200 required);
    `sent` gets each request's time.monotonic() when it went out, in the requests' order."""
    out: list[float] = []
    todo = iter(enumerate(requests))
    if sent is not None:
        sent[:] = [0.0] * len(requests)

    async def worker() -> None:
        for i, (body, kind) in todo:
            headers = {**signed_headers(secret, body), "Content-Type": kind}
            if sent is not None:
                sent[i] = time.monotonic()
            t = time.perf_counter()
            async with http.post(f"{url}/slack/events", data=body, headers=headers) as r:
                await r.read()
                if r.status != 200:
                    raise SystemExit(f"bench: {r.status} from {url}: {await r.text()}")
            out.append((time.perf_counter() - t) * 1000)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return out


def pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(p / 100 * len(s)))]


def summary(name: str, xs: list[float]) -> str:
    return (
        f"{name}: n={len(xs)} p50={pct(xs, 50):.1f}ms p99={pct(xs, 99):.1f}ms max={max(xs):.1f}ms"
    )
