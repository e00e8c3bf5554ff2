"""`aidigest status` shows the whole system: builds, queue, workers, deliveries."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from redis import Redis
from rq import Queue
from rq.serializers import JSONSerializer

from cli.main import main
from core.settings import Settings
from core.store.keys import Keys
from tests.workers.procs import drain, enqueue_demo
from workers import defaults, queues
from workers.builds import Builds
from workers.health import health_text

TODAY = date(2024, 10, 4)
NOW = datetime(2024, 10, 4, 1, 0, tzinfo=UTC)


def test_health_of_a_built_day_with_deliveries(redis: Redis[bytes], settings: Settings) -> None:
    rec = enqueue_demo(redis, settings)
    assert rec is not None
    queues.queue(redis).empty()  # the build's jobs are not what this test is about
    Builds(redis, Keys()).finish(rec, "ready")
    q = Queue(defaults.QUEUE, connection=redis, serializer=JSONSerializer)
    q.enqueue("json.loads", "{not json", job_id="probe-bad-json")  # a job that fails
    drain(redis)
    keys = Keys("aidigest")  # the bots' writer of the same keys
    redis.zadd(keys.due("slack"), {"slack:T1:C1": NOW.timestamp() + 3600})
    redis.hset(keys.deliveries("slack", TODAY.isoformat()), mapping={"posted": 3, "retry": 1})
    failure = {
        "at": NOW.isoformat(),
        "sub": "slack:T1:C9",
        "date": "2024-10-04",
        "error": "SlackApiError: ratelimited",
    }
    redis.lpush(keys.failures("slack"), json.dumps(failure))

    text = health_text(redis, Keys(), TODAY, NOW, "Asia/Seoul", "07:00")
    assert "Next build: 2024-10-04 22:00 UTC (07:00 Asia/Seoul)" in text
    assert "2024-10-04  ready (run 1" in text
    assert "queued 0, started 0" in text and "failed 1" in text and "workers alive: 0" in text
    assert "failed job probe-bad-json: json.decoder.JSONDecodeError" in text
    assert "slack: 1 subscriptions; next: slack:T1:C1 at 2024-10-04 02:00 UTC" in text
    assert "slack posts on 2024-10-04: posted 3, retry 1" in text
    assert "failed post slack:T1:C9 (2024-10-04" in text and "ratelimited" in text
    assert "discord" not in text  # no Discord subscriptions: nothing to say


@pytest.mark.slow  # a whole day through the jobs
def test_status_shows_the_system_then_the_day(
    redis: Redis[bytes],
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DIGEST_SOURCES_FILE", "/nonexistent/sources.toml")
    assert main(["status"]) == 2  # nothing built yet: says how to start
    assert "aidigest enqueue --demo" in capsys.readouterr().err
    enqueue_demo(redis, settings)
    drain(redis)
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("System\n") and "Deliveries:\n  no subscriptions yet" in out
    assert "2024-10-04: ready" in out and "Sources:" in out
