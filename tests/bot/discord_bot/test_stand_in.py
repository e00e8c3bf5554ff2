"""The Discord stand-in itself: 429s and rate-limit headers shaped as Discord sends them (what
discord.py reads to tell Discord's limit from a Cloudflare ban), and hammering detected."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time

import httpx

from tests import ROOT
from tests.doubles.discord_control import Control
from tests.doubles.discord_server import StandIn


def test_429s_are_shaped_as_discord_sends_them(stand_in: StandIn, control: Control) -> None:
    a, b = control.add_guild("limits", [{"name": "a"}, {"name": "b"}])["channels"]
    control.reset()
    control.limits(route={"limit": 1, "per": 5.0}, **{"global": {"limit": 2, "per": 5.0}})
    auth = {"Authorization": f"Bot {stand_in.token}"}
    with httpx.Client(base_url=stand_in.api_base, headers=auth) as http:
        assert http.get("/users/@me", headers={"Authorization": "Bot wrong"}).status_code == 401
        ok = http.post(f"/channels/{a}/messages", json={"content": "hi"})
        assert ok.status_code == 200 and ok.headers["Content-Type"] == "application/json"
        assert ok.headers["X-RateLimit-Limit"] == "1"
        assert ok.headers["X-RateLimit-Remaining"] == "0"
        assert 0 < float(ok.headers["X-RateLimit-Reset-After"]) <= 5
        assert ok.headers["X-RateLimit-Bucket"] and ok.headers["Via"]

        route = http.post(f"/channels/{a}/messages", json={"content": "again"})
        assert route.status_code == 429 and route.headers["Content-Type"] == "application/json"
        assert route.json()["global"] is False and 0 < route.json()["retry_after"] <= 5
        assert route.headers["Via"] and route.headers["X-RateLimit-Scope"] == "user"
        assert int(route.headers["Retry-After"]) >= 1

        assert http.post(f"/channels/{b}/messages", json={"content": "b"}).status_code == 200
        over = http.post(f"/channels/{b}/messages", json={"content": "b2"})
        assert over.status_code == 429 and over.json()["global"] is True
        assert over.headers["X-RateLimit-Global"] == "true" and over.headers["Via"]
        assert control.stats()["past_429"] == 0

        time.sleep(0.1)  # well after the 429 reached us: coming back now is hammering
        assert http.post(f"/channels/{a}/messages", json={"content": "x"}).status_code == 429
    stats = control.stats()
    assert (stats["limited"], stats["past_429"]) == (3, 1)
    control.reset()


def test_messages_over_discord_limits_are_refused(stand_in: StandIn, control: Control) -> None:
    (a,) = control.add_guild("strict", [{"name": "a"}])["channels"]
    auth = {"Authorization": f"Bot {stand_in.token}"}
    too_long = {"embeds": [{"description": "x" * 4097}]}
    too_many = {"embeds": [{"description": "y" * 700} for _ in range(10)]}
    with httpx.Client(base_url=stand_in.api_base, headers=auth) as http:
        for body in (too_long, too_many, {"content": "z" * 2001}):
            r = http.post(f"/channels/{a}/messages", json=body)
            assert r.status_code == 400 and r.json()["code"] == 50035


def test_runs_as_a_process_on_a_given_port() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.doubles.discord_server", "--port", str(port),
         "--token", "process-token"],
        cwd=ROOT, stdout=subprocess.PIPE,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        assert (
            proc.stdout.readline().decode().strip() == f"discord stand-in: http://127.0.0.1:{port}"
        )
        base = f"http://127.0.0.1:{port}"
        gateway = httpx.get(f"{base}/api/v10/gateway/bot",
                            headers={"Authorization": "Bot process-token"}).json()  # fmt: skip
        assert gateway["url"] == f"ws://127.0.0.1:{port}/gateway"
        assert Control(base).stats()["requests"] == 1
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
