"""`aidigest web` as deployed: the installed command, its settings from the environment, a
Redis holding a published day, reached as a user that may only read. The site warms its search
index at start (it only reads) and serves the day, search and the feed; no key changes."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import feedparser
import httpx
import pytest
from redis import Redis
from redis.exceptions import NoPermissionError

from core.pipeline import BuiltDay
from tests.procs import Proc, free_port, wait_until
from tests.web.conftest import publish
from tests.web.readonly import read_only_url, snapshot

pytestmark = pytest.mark.slow  # starts the web process
DAY = "2024-10-04"
AIDIGEST = Path(sys.executable).with_name("aidigest")  # the console script of this install
OURS = ("REDIS_", "DIGEST_", "WEB_", "OPENAI_", "SLACK_", "DISCORD_")  # settings' prefixes


@contextmanager
def serving(redis_url: str, where: Path) -> Iterator[str]:
    """`aidigest web` on a free port reading `redis_url`, until the block ends; its base URL.
    It runs in `where` (no .env there) with none of our settings but these."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(OURS)}
    env.update({"REDIS_URL": redis_url, "DIGEST_LANGUAGE": "ko"})
    args = [str(AIDIGEST), "web", "--host", "127.0.0.1", "--port", str(port)]
    proc = Proc("web", args, env, cwd=where, log=where / "web.log")
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(
            lambda: proc.alive() and httpx.get(base + "/", timeout=5).status_code == 200,
            "aidigest web to answer",
            timeout=60,
            context=proc.tail,
        )
        yield base
    finally:
        proc.stop()
    assert proc.p.returncode == 0, proc.tail()  # SIGTERM: a clean stop


def test_aidigest_web_serves_a_published_day_and_writes_nothing(
    redis_db: Redis[bytes], redis_url: str, demo_day: BuiltDay, tmp_path: Path
) -> None:
    publish(redis_db, demo_day)  # as the publish job does: the day and its search entries
    before = snapshot(redis_db)
    with read_only_url(redis_db, redis_url) as reader:
        with Redis.from_url(reader) as readonly, pytest.raises(NoPermissionError):
            readonly.set("aidigest:probe", "1")  # the user really cannot write
        user = reader.split("//", 1)[1].split(":", 1)[0]

        with serving(reader, tmp_path) as base, httpx.Client(base_url=base, timeout=10) as http:
            home = http.get("/")
            assert home.status_code == 200
            assert f"<title>Daily Artificial Intelligence Insights — {DAY}</title>" in home.text
            day = http.get(f"/{DAY}")
            assert day.status_code == 200 and '<html lang="ko">' in day.text
            for s in demo_day.digests["ko"].sections:
                assert f'id="{s.kind}-{s.category}"' in day.text
            found = http.get("/search", params={"q": "에이전트"})
            assert found.status_code == 200 and 'class="hit"' in found.text
            assert f'class="hit-day" href="/{DAY}"' in found.text and "<mark>에이전트" in found.text
            feed = feedparser.parse(http.get("/feed.xml").content)
            assert not feed.bozo
            assert [e.link for e in feed.entries] == [f"{base}/{DAY}", f"{base}/{DAY}?lang=en"]
            # the process is connected as the read-only user (its client and the event follower)
            assert user in {c["user"] for c in redis_db.client_list()}

    assert snapshot(redis_db) == before
