"""The watermark stores: Redis (workers) and files (CLI) keep what the in-memory one keeps, and
refuse a commit when another build moved the mark first."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from redis import Redis

from core.store.keys import Keys
from core.store.mark_files import FileWatermarks
from core.store.marks import SHOWN_DAYS, RedisWatermarks
from core.watermark import Mark, Seen, Take
from core.watermarks import MemoryWatermarks, Watermarks

AT = datetime(2023, 11, 7, 22, tzinfo=UTC)
RETENTION_DAYS = 3


def taken(day: str, ids: tuple[str, ...] = ("a", "b"), source: str = "feed") -> Take:
    return Take(source, day, AT - timedelta(days=1), AT, ids)


def marked(*ids: str) -> Mark:
    return Mark(AT, {i: Seen("2023-11-08", AT, True) for i in ids})


@pytest.fixture(params=["memory", "redis", "files"])
def marks(request: pytest.FixtureRequest, tmp_path: Path) -> Watermarks:
    if request.param == "redis":
        redis: Redis[bytes] = request.getfixturevalue("redis_db")
        return RedisWatermarks(redis, Keys("t"), RETENTION_DAYS)
    if request.param == "files":
        return FileWatermarks(tmp_path)
    return MemoryWatermarks()


def test_commit_then_read_back(marks: Watermarks) -> None:
    assert marks.mark("feed") == Mark() and marks.recorded("2023-11-08", "feed") is None
    assert marks.commit(taken("2023-11-08"), marked("a", "b"), Mark())
    assert marks.mark("feed") == marked("a", "b")
    assert marks.recorded("2023-11-08", "feed") == taken("2023-11-08")
    assert marks.shown(["a", "b", "z"]) == {"a": "2023-11-08", "b": "2023-11-08"}
    assert marks.shown([]) == {}


def test_a_moved_mark_or_a_taken_day_refuses_the_commit(marks: Watermarks) -> None:
    assert marks.commit(taken("2023-11-08"), marked("a"), Mark())
    # another build took the next day first: ours expected the older mark
    assert not marks.commit(taken("2023-11-09", ("c",)), marked("c"), Mark())
    # the same day again, even from the current mark
    assert not marks.commit(taken("2023-11-08", ("d",)), marked("d"), marks.mark("feed"))
    assert marks.recorded("2023-11-08", "feed") == taken("2023-11-08", ("a", "b"))
    assert marks.shown(["c", "d"]) == {}


def test_an_id_keeps_the_first_day_that_showed_it(marks: Watermarks) -> None:
    assert marks.commit(taken("2023-11-08", ("x",), "arxiv"), marked("x"), Mark())
    assert marks.commit(taken("2023-11-10", ("x",), "hf"), marked("x"), Mark())
    assert marks.shown(["x"]) == {"x": "2023-11-08"}


def test_redis_layout_and_expiry(redis_db: Redis[bytes]) -> None:
    marks = RedisWatermarks(redis_db, Keys("t"), RETENTION_DAYS)
    assert marks.commit(taken("2023-11-08"), marked("a", "b"), Mark())
    assert json.loads(redis_db.get("t:mark:feed") or b"")["released_to"] == AT.isoformat()
    assert set(redis_db.hkeys("t:window:2023-11-08")) == {b"feed"}
    assert 0 < redis_db.ttl("t:window:2023-11-08") <= RETENTION_DAYS * 24 * 3600
    assert redis_db.zscore("t:shown", "a") == date(2023, 11, 8).toordinal()
    assert marks.takes("2023-11-08") == {"feed": taken("2023-11-08")}
    later = (date(2023, 11, 8) + timedelta(days=SHOWN_DAYS + 1)).isoformat()
    assert marks.commit(taken(later, ("c",)), marked("c"), marks.mark("feed"))
    assert marks.shown(["a", "c"]) == {"c": later}  # the old ids were let go


def test_files_layout_and_a_second_process(tmp_path: Path) -> None:
    first = FileWatermarks(tmp_path)
    assert first.commit(taken("2023-11-08"), marked("a", "b"), Mark())
    assert (tmp_path / "2023-11-08" / "window.json").exists()
    state = json.loads((tmp_path / "watermarks.json").read_text("utf-8"))
    assert set(state) == {"marks", "shown"} and state["shown"] == {
        "a": "2023-11-08",
        "b": "2023-11-08",
    }
    again = FileWatermarks(tmp_path)  # the next `aidigest build`
    assert again.mark("feed") == marked("a", "b")
    assert again.recorded("2023-11-08", "feed") == taken("2023-11-08")
    assert again.shown(["a"]) == {"a": "2023-11-08"}


def test_a_broken_state_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "watermarks.json").write_text("{not json", "utf-8")
    with pytest.raises(ValueError, match=r"watermarks\.json: unreadable .* move it away"):
        FileWatermarks(tmp_path)
    (tmp_path / "watermarks.json").write_text('{"marks": {"feed": {"released_to": "soon"}}}')
    with pytest.raises(ValueError, match=r"watermarks\.json: marks\.feed: released_to"):
        FileWatermarks(tmp_path)


def test_sources_committed_at_once_all_land(marks: Watermarks, tmp_path: Path) -> None:
    """Sources are collected in threads; every one's commit must stick (the file store once
    lost one to two writers sharing a temporary file)."""
    names = [f"s{n}" for n in range(12)]

    def commit(name: str) -> bool:
        return marks.commit(taken("2023-11-08", (f"{name}-x",), name), marked(f"{name}-x"), Mark())

    with ThreadPoolExecutor(max_workers=12) as pool:
        assert all(pool.map(commit, names))
    for name in names:
        assert marks.recorded("2023-11-08", name) == taken("2023-11-08", (f"{name}-x",), name)
    if isinstance(marks, FileWatermarks):
        again = FileWatermarks(tmp_path)
        assert {n: again.mark(n) for n in names} == {n: marked(f"{n}-x") for n in names}
        assert all(again.recorded("2023-11-08", n) for n in names)
        assert not list(tmp_path.rglob("*.tmp"))
