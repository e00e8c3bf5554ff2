"""A whole day through RQ jobs ends as the inline build does; a failed section loses nothing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from redis import Redis

from cli import main as cli
from cli import queue as cli_queue
from core import demo
from core.digest import Section
from core.engine import Engine
from core.pipeline import BuiltDay
from core.plan import SectionInput
from core.settings import Settings, load_settings
from core.store.keys import Keys
from tests.workers.procs import drain, enqueue_demo, job_status, published
from workers import jobs, queues
from workers.builds import Builds

DAY = demo.DEMO_DATE.isoformat()


def inline(langs: list[str]) -> BuiltDay:
    return demo.build_demo_day(langs)


@pytest.mark.slow  # a whole day through worker processes
def test_a_day_through_the_jobs_is_the_inline_build(
    redis: Redis[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIGEST_LANGUAGES", "ko,en")
    settings = load_settings()
    assert enqueue_demo(redis, settings) is not None
    drain(redis)

    store = published(redis)
    assert store.dates() == [DAY]
    want = inline(["ko", "en"])
    for lang, expected in want.digests.items():
        got = store.digest(DAY, lang, fallback=False)
        assert got is not None
        assert got.kinds == expected.kinds
        assert [s.model_dump() for s in got.sections] == [s.model_dump() for s in expected.sections]
        for s in expected.sections:  # each section on its own key, as the bots read them
            assert store.section(DAY, lang, s.kind, s.category) == s
        took = {"seconds"}  # each collect job times itself
        assert [x.model_dump(exclude=took) for x in got.build.sources] == [
            x.model_dump(exclude=took) for x in expected.build.sources
        ]
        assert [x.name for x in got.build.sources] == [r.status.name for r in demo.demo_results()]
        assert (got.build.llm, got.build.llm_calls, got.build.notes) == ("offline", 0, [])
    assert set(want.charts) == {"news", "papers", "papers-trend"}
    for name, png in want.charts.items():
        kind, _, trend = name.partition("-")
        assert store.chart(DAY, kind, trend=bool(trend)) == png


class FailingFor:
    """The offline summariser, except that one category's summary raises."""

    def __init__(self, kind: str, category: str) -> None:
        self.kind, self.category = kind, category

    def __call__(self, inputs: Sequence[SectionInput]) -> list[Section]:
        if any(i.kind == self.kind and i.category == self.category for i in inputs):
            raise RuntimeError("LLM outage: 503 from upstream")
        return Engine().summarise(inputs)


@pytest.mark.slow  # a whole day through worker processes
def test_a_failed_section_is_published_offline_and_says_why(
    redis: Redis[bytes], settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = Engine(summarise=FailingFor("papers", "llm"))
    monkeypatch.setattr(jobs, "make_engine", lambda settings, offline=False, redis=None: broken)
    rec = enqueue_demo(redis, settings, retry_max=1, retry_intervals=[0])
    assert rec is not None
    drain(redis)

    assert job_status(redis, queues.job_id(rec, "papers-llm-ko")) == "failed"
    digest = published(redis).digest(DAY, "ko")
    assert digest is not None
    want = inline(["ko"]).digests["ko"]
    assert [(s.kind, s.category) for s in digest.sections] == [
        (s.kind, s.category) for s in want.sections
    ]
    for got, expected in zip(digest.sections, want.sections, strict=True):
        if (got.kind, got.category) == ("papers", "llm"):
            assert got.mode == "offline-fallback"
            assert "LLM outage: 503 from upstream" in got.note
            assert got.parts == expected.parts and got.sources == expected.sources
        else:
            assert got == expected
    assert any("papers-llm-ko" in n and "503" in n for n in digest.build.notes)

    text = cli_queue.status_text(redis, Builds(redis, Keys()), published(redis), DAY, "ko")
    job = queues.job_id(rec, "papers-llm-ko")
    assert f"failed    {job}  RuntimeError: LLM outage" in text
    inline_skipped = {s.name: s.skipped for s in want.build.sources}
    for s in digest.build.sources:  # the worker path set aside what is not about AI, too
        assert s.skipped == inline_skipped[s.name], s.name
        if s.skipped:
            assert f"{s.items} items, {s.skipped} skipped as not about AI" in text
    assert sum(s.skipped for s in digest.build.sources) > 0


@pytest.mark.slow  # a whole day through worker processes
def test_enqueue_then_a_worker_then_show(
    redis: Redis[bytes],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """The README's path: `aidigest enqueue --demo`, `python -m workers --burst`, `aidigest
    show papers LLM 2024-10-04` with REDIS_URL set (the worker here runs in this process)."""
    monkeypatch.chdir(tmp_path)  # no reports/ here: show must read Redis
    assert cli.main(["enqueue", "--demo"]) == 0
    assert cli.main(["enqueue", "--demo"]) == 0  # building: nothing more
    assert capsys.readouterr().err.count("nothing enqueued") == 1
    drain(redis)
    assert cli.main(["show", "papers", "LLM", DAY]) == 0
    out = capsys.readouterr().out
    want = inline(["ko"]).digests["ko"].section("papers", "llm")
    assert want is not None and want.sources[0].title in out
    assert cli.main(["status", "--date", DAY]) == 0
    status = capsys.readouterr().out
    assert status.startswith(f"{DAY}: ready (run 1, sources package:demo/sources.toml")
    rec = Builds(redis, Keys()).record(DAY)
    assert rec is not None
    assert f"finished  {queues.job_id(rec, 'publish')}  published 2024-10-04" in status
    assert "LLM: offline, 0 calls, 0 tokens" in status


def test_build_with_redis_url_also_stores_the_day(
    redis: Redis[bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`aidigest build` with REDIS_URL set: files as before, and the day in Redis (here a day
    with no configured source, so nothing is fetched)."""
    (tmp_path / "sources.toml").write_text("# no sources\n")
    monkeypatch.setenv("DIGEST_SOURCES_FILE", str(tmp_path / "sources.toml"))
    out = tmp_path / "reports"
    assert cli.main(["build", "--date", "2024-10-07", "--out", str(out)]) == 0
    assert (out / "2024-10-07" / "digest.ko.json").exists()
    digest = published(redis).digest("2024-10-07", "ko")
    assert (
        digest is not None and digest.sections == [] and published(redis).dates() == ["2024-10-07"]
    )
