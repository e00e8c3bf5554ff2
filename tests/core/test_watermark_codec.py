"""Marks and takes survive JSON; bad state is refused with a message that names the part."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from core.watermark import Mark, Seen, Take
from core.watermark_codec import dump_mark, load_mark, load_take, mark_json, take_json

AT = datetime(2023, 11, 7, 22, tzinfo=UTC)
KST = timezone(timedelta(hours=9))


def test_round_trip() -> None:
    mark = Mark(AT, {"a": Seen("2023-11-08", AT.astimezone(KST), True), "b": Seen("", AT, False)})
    assert load_mark(json.loads(mark_json(mark))) == mark
    assert load_mark(dump_mark(Mark())) == Mark()
    taken = Take("arxiv", "2023-11-08", AT - timedelta(days=1), AT, ("x", "y"), ("z",))
    assert load_take(json.loads(take_json(taken))) == taken


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "expected an object"),
        ({"released_to": "yesterday", "seen": {}}, "released_to: 'yesterday' is not an ISO"),
        ({"released_to": "2023-11-07T22:00:00", "seen": {}}, "has no time zone"),
        ({"seen": {"a": ["d", "2023-11-07T22:00:00+00:00"]}}, r"seen\['a'\] must be"),
    ],
)
def test_bad_marks(raw: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_mark(raw, "state.json: marks.arxiv")


def test_bad_takes() -> None:
    with pytest.raises(ValueError, match="missing or malformed field 'end'"):
        load_take({"source": "s", "day": "d", "start": AT.isoformat()})
    with pytest.raises(ValueError, match="ids must be strings"):
        load_take({"source": "s", "day": "d", "start": "x", "end": "y", "ids": [1]})
