"""Pages are forgotten when a day is published (the digest.ready stream), not only by age."""

from __future__ import annotations

import time
import urllib.request

from redis import Redis

from core.pipeline import BuiltDay
from tests.web.conftest import HOSTILE_DATE, publish, redis_site
from tests.web.server import ServerThread


def test_a_publish_shows_at_once_though_pages_are_kept_an_hour(
    redis_db: Redis[bytes], redis_url: str, demo_day: BuiltDay, hostile_day: BuiltDay
) -> None:
    publish(redis_db, demo_day)

    server = ServerThread(redis_site(redis_url)).start()

    def home() -> str:
        with urllib.request.urlopen(server.url + "/", timeout=10) as r:
            return str(r.read().decode())

    try:
        assert "2024-10-04</span>" in home()
        time.sleep(0.5)  # the follower is reading the stream
        publish(redis_db, hostile_day)
        deadline = time.monotonic() + 10
        while f"{HOSTILE_DATE}</span>" not in home():
            assert time.monotonic() < deadline, "the new day never showed"
            time.sleep(0.1)
    finally:
        server.stop()
