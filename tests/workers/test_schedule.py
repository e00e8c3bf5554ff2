"""The schedule: next build moments in several zones and across DST changes; ticks that land on
them; the tick job enqueueing a due day once."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from croniter import croniter
from redis import Redis

from core.store.keys import Keys
from tests.workers.procs import drain
from workers import defaults, queues
from workers.builds import Builds
from workers.cron import due_day, next_run, tick_cron


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "build_time", "now", "expected"),
    [
        ("Asia/Seoul", "07:00", "2026-03-01T21:59:00", "2026-03-01T22:00:00"),  # 07:00 KST
        ("Asia/Seoul", "07:00", "2026-03-01T22:00:00", "2026-03-02T22:00:00"),  # strictly after
        ("Asia/Kolkata", "07:00", "2026-06-01T00:00:00", "2026-06-01T01:30:00"),  # +05:30
        ("Asia/Kathmandu", "07:00", "2026-06-01T00:00:00", "2026-06-01T01:15:00"),  # +05:45
        ("UTC", "00:00", "2026-12-31T23:59:59", "2027-01-01T00:00:00"),
        # New York springs forward on 2026-03-08: 07:00 EST is 12:00Z, then 07:00 EDT is 11:00Z
        ("America/New_York", "07:00", "2026-03-07T12:00:01", "2026-03-08T11:00:00"),
        ("America/New_York", "07:00", "2026-03-08T11:00:00", "2026-03-09T11:00:00"),
        # ...and falls back on 2026-11-01
        ("America/New_York", "07:00", "2026-10-31T11:00:00", "2026-11-01T12:00:00"),
        # a build time inside the skipped hour runs as the old offset gives it: 03:30 EDT
        ("America/New_York", "02:30", "2026-03-08T00:00:00", "2026-03-08T07:30:00"),
        # London leaves summer time on 2026-10-25: 07:00 BST is 06:00Z, 07:00 GMT is 07:00Z
        ("Europe/London", "07:00", "2026-10-24T06:00:01", "2026-10-25T07:00:00"),
        ("Europe/London", "07:00", "2026-10-25T06:30:00", "2026-10-25T07:00:00"),
        ("Europe/London", "07:00", "2026-03-28T12:00:00", "2026-03-29T06:00:00"),
        ("Australia/Sydney", "07:00", "2026-10-03T12:00:00", "2026-10-03T20:00:00"),  # AEDT
    ],
)
def test_next_run(zone: str, build_time: str, now: str, expected: str) -> None:
    got = next_run(utc(now), zone, build_time)
    assert got == utc(expected)
    assert got.astimezone(ZoneInfo(zone)).strftime("%H:%M") in (build_time, "03:30")


@pytest.mark.parametrize("zone", ["Asia/Seoul", "America/New_York", "Europe/London",
                                  "Asia/Kathmandu", "Australia/Lord_Howe"])  # fmt: skip
@pytest.mark.parametrize("build_time", ["07:00", "06:40"])
def test_a_tick_falls_on_every_build_moment_of_the_year(zone: str, build_time: str) -> None:
    """The UTC cron string is fixed; daylight saving moves the build's UTC time; a tick is
    there anyway (Lord Howe shifts by half an hour)."""
    cron = tick_cron(build_time)
    moment = next_run(utc("2026-01-01T00:00:00"), zone, build_time)
    offsets = set()
    while moment.year == 2026:
        assert croniter(cron, moment - timedelta(seconds=1)).get_next(datetime) == moment
        offsets.add(moment.astimezone(ZoneInfo(zone)).utcoffset())
        moment = next_run(moment, zone, build_time)
    assert len(offsets) == (1 if zone in ("Asia/Seoul", "Asia/Kathmandu") else 2)


def test_due_day_is_today_once_its_build_time_has_passed() -> None:
    seoul = "Asia/Seoul"
    assert due_day(utc("2026-03-01T21:59:59"), seoul, "07:00") is None  # 06:59:59 KST
    assert due_day(utc("2026-03-01T22:00:00"), seoul, "07:00") == date(2026, 3, 2)
    # a scheduler started in the afternoon catches up on the morning's build
    assert due_day(utc("2026-03-02T06:00:00"), seoul, "07:00") == date(2026, 3, 2)
    # just after local midnight, today's build is not due yet (yesterday's was)
    assert due_day(utc("2026-03-02T15:30:00"), seoul, "07:00") is None
    assert due_day(utc("2026-03-08T11:00:00"), "America/New_York", "07:00") == date(2026, 3, 8)
    assert due_day(utc("2026-03-07T11:30:00"), "America/New_York", "07:00") is None  # 06:30 EST


def _sources(tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sources.toml").write_text(text)
    monkeypatch.setenv("DIGEST_SOURCES_FILE", str(tmp_path / "sources.toml"))
    monkeypatch.setenv("DIGEST_BUILD_TIME", "00:00")  # due all day
    monkeypatch.setenv("DIGEST_TIMEZONE", ZONE)


ZONE = "Pacific/Kiritimati"
BROKEN = """[[source]]
name = "broken"
type = "feed"
kind = "news"
url = "nope://nowhere"
"""


def _ticks(redis: Redis[bytes], n: int) -> list[str]:
    jobs = [queues.enqueue_tick(redis) for _ in range(n)]
    drain(redis)
    return [str(j.return_value(refresh=True)) for j in jobs]


def test_the_tick_enqueues_a_due_day_once(
    redis: Redis[bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _sources(tmp_path, "# none: the day builds empty\n", monkeypatch)
    today = datetime.now(ZoneInfo(ZONE)).date().isoformat()
    assert _ticks(redis, 3) == [f"enqueued {today} run 1", *["building or built"] * 2]
    rec = Builds(redis, Keys()).record(today)
    assert rec is not None and rec.state == "ready" and rec.reason == "tick"
    assert _ticks(redis, 1) == ["building or built"]


def test_a_failed_day_is_retried_after_a_cool_down(
    redis: Redis[bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _sources(tmp_path, BROKEN, monkeypatch)
    today = datetime.now(ZoneInfo(ZONE)).date().isoformat()
    assert _ticks(redis, 1) == [f"enqueued {today} run 1"]
    builds = Builds(redis, Keys())
    rec = builds.record(today)
    assert rec is not None and rec.state == "failed"
    assert rec.error.startswith("every source failed: broken:")
    assert _ticks(redis, 1) == [f"{today} failed recently: waiting"]
    # an hour later (the record says it failed then), the next tick tries again
    old = rec.model_copy(update={"finished_at": time.time() - defaults.FAILED_COOLDOWN - 1})
    redis.set(builds.key(today), old.model_dump_json())
    assert _ticks(redis, 1) == [f"enqueued {today} run 2"]
