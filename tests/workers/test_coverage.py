"""The workers take each source by its watermark in Redis: a week of mornings through the RQ jobs
against the schedule stand-in, every item in one day, the item list and the window stored with
the day, a forced rebuild the same, the notes in the digest's language."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from redis import Redis

from core.item_list import loads
from core.settings import load_settings
from core.store.keys import Keys
from core.store.marks import RedisWatermarks
from tests import coverage
from tests.doubles.schedule_server import ScheduleServer
from tests.workers.procs import drain, published
from workers import queues

pytestmark = pytest.mark.slow  # a week of days through the jobs

WEEK = [date(2023, 11, 10) + timedelta(days=n) for n in range(6)]  # Fri … Wed


def build(
    redis: Redis[bytes],
    world: ScheduleServer,
    sources: Path,
    day: date,
    monkeypatch: pytest.MonkeyPatch,
    force: bool = False,
) -> None:
    """The day's build through the jobs, with every clock (ours, the stand-in's) at 07:05."""
    at = coverage.morning(day) + coverage.LATE
    world.set_now(at)
    monkeypatch.setenv("DIGEST_CLOCK_OFFSET", str((at - datetime.now(UTC)).total_seconds()))
    settings = load_settings()
    rec = queues.enqueue_build(
        redis, settings, day, sources_file=str(sources), now=at, offline=True, force=force
    )
    assert rec is not None
    drain(redis)


def test_a_week_through_the_jobs(
    redis: Redis[bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DIGEST_LANGUAGES", "ko,en")
    keys = Keys()
    with ScheduleServer(coverage.FIRST, coverage.WORLD_DAYS) as world:
        sources = tmp_path / "sources.toml"
        sources.write_text(coverage.sources_toml(world.url), "utf-8")
        for day in WEEK:
            build(redis, world, sources, day, monkeypatch)
        before = redis.get(keys.items("2023-11-13"))
        build(redis, world, sources, date(2023, 11, 13), monkeypatch, force=True)
        assert redis.get(keys.items("2023-11-13")) == before  # a forced rebuild: same items

    store = published(redis)
    assert store.dates() == sorted((d.isoformat() for d in WEEK), reverse=True)
    seen: Counter[str] = Counter()
    for day in WEEK:
        raw = redis.get(keys.items(day.isoformat()))
        assert raw is not None
        seen.update(r.id for r in loads(raw.decode()))
    assert seen and max(seen.values()) == 1, [i for i, n in seen.items() if n > 1]

    marks = RedisWatermarks(redis, keys, 30)
    window = marks.takes("2023-11-12")  # the Sunday
    assert set(window) == {"arxiv", "hf-daily-papers", "openai-news"}
    assert window["arxiv"].ids == () and window["arxiv"].start < window["arxiv"].end
    sunday = store.digest("2023-11-12", "ko", fallback=False)
    assert sunday is not None
    assert sunday.kinds["papers"].note.startswith(
        "arXiv는 어젯밤 새 논문을 발표하지 않았습니다(주말)."
    )
    coverage_of = {s.name: s.coverage for s in sunday.build.sources}
    assert coverage_of["arxiv"] is not None and coverage_of["arxiv"].silent == [
        ("2023-11-10", "weekend")
    ]
    monday = store.digest("2023-11-13", "en", fallback=False)
    assert monday is not None and all(
        s.coverage and s.coverage.replayed for s in monday.build.sources
    )
    tuesday = json.loads(redis.get(keys.digest("2023-11-14", "en")) or b"{}")
    assert tuesday["kinds"]["papers"]["note"] == ""  # Sunday's announcement: a normal day
