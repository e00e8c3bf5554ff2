"""The watermark: consecutive digests partition a source's stream (pure unit tests)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.watermark import (
    UNDATED_KEEP,
    Mark,
    Offer,
    Take,
    prune_shown,
    record_shown,
    replay,
    take,
)

T0 = datetime(2024, 11, 4, 22, 0, tzinfo=UTC)  # 07:00 KST, Tuesday 2024-11-05
H = timedelta(hours=1)
LOOKBACK = timedelta(days=3)


def day_of(at: datetime) -> str:
    return (at + 9 * H).date().isoformat()


def build(mark: Mark, offers: list[Offer], end: datetime, **kw: object) -> tuple[Take, Mark]:
    start = kw.pop("start", end - 24 * H)
    assert isinstance(start, datetime)
    horizon = mark.released_to - LOOKBACK if mark.released_to else start
    return take(
        mark,
        "feed",
        day_of(end),
        offers,
        start=start,
        end=end,
        fetched_at=kw.pop("fetched_at", end),  # type: ignore[arg-type]
        horizon=horizon,
        shown=kw.pop("shown", None),  # type: ignore[arg-type]
    )


def test_first_digest_takes_the_window_and_not_the_archive() -> None:
    offers = [Offer("new", T0 - 2 * H), Offer("old", T0 - 26 * H), Offer("undated", None)]
    got, mark = build(Mark(), offers, T0, start=T0 - 24 * H)
    # "old" is before the first window: it would have been the previous digest's
    assert got.ids == ("new", "undated")
    assert (got.start, got.end) == (T0 - 24 * H, T0)
    assert mark.released_to == T0 and set(mark.seen) == {"new", "undated", "old"}
    assert mark.seen["undated"].at == T0 and not mark.seen["undated"].dated
    assert mark.seen["old"].day == ""  # remembered, not taken: …
    later, _ = build(mark, offers, T0 + 24 * H)
    assert later.ids == ()  # … so the next digest's lookback does not take it either


def test_an_item_the_feed_shows_hours_late_goes_to_the_next_digest() -> None:
    _, mark = build(Mark(), [Offer("a", T0 - 3 * H)], T0)
    # "late" is dated before yesterday's build but appeared only after it
    offers = [Offer("late", T0 - 1 * H), Offer("a", T0 - 3 * H), Offer("b", T0 + 5 * H)]
    got, mark = build(mark, offers, T0 + 24 * H)
    assert got.ids == ("late", "b")
    assert got.start == T0


def test_a_late_build_leaves_what_came_after_its_time_to_tomorrow() -> None:
    _, mark = build(Mark(), [], T0)
    end = T0 + 24 * H
    offers = [Offer("before", end - H), Offer("after", end + 2 * H)]
    got, mark = build(mark, offers, end, fetched_at=end + 4 * H)  # ran four hours late
    assert got.ids == ("before",)
    tomorrow, _ = build(mark, offers, end + 24 * H)
    assert tomorrow.ids == ("after",)


def test_a_date_from_the_future_is_not_trusted() -> None:
    got, _ = build(Mark(), [Offer("typo", T0 + 400 * 24 * H)], T0)
    assert got.ids == ("typo",)


def test_a_missed_build_is_caught_up() -> None:
    _, mark = build(Mark(), [Offer("a", T0 - H)], T0)
    offers = [Offer("a", T0 - H), Offer("b", T0 + 10 * H), Offer("c", T0 + 30 * H)]
    got, _ = build(mark, offers, T0 + 48 * H)  # day 2's build never ran
    assert got.ids == ("b", "c") and got.start == T0


def test_a_past_window_already_covered_takes_nothing() -> None:
    _, mark = build(Mark(), [], T0 + 48 * H)
    got, after = build(mark, [Offer("x", T0 + H)], T0 + 24 * H)
    assert got.ids == () and got.covered_before and after == mark


def test_featured_again_is_not_new() -> None:
    shown = {"arxiv:2410.00001": "2024-11-01", "arxiv:2410.00002": "2024-11-05"}
    offers = [Offer("arxiv:2410.00001", T0 - H), Offer("arxiv:2410.00002", T0 - H)]
    got, mark = build(Mark(), offers, T0, shown=shown)
    # shown on an earlier day: featured; shown "today" (another source, same day): new here,
    # merge unites the two records
    assert got.featured == ("arxiv:2410.00001",) and got.ids == ("arxiv:2410.00002",)
    assert "arxiv:2410.00001" in mark.seen  # not featured again tomorrow
    again, _ = build(mark, offers, T0 + 24 * H, shown=shown)
    assert again.featured == () and again.ids == ()


def test_an_edited_item_that_moves_its_date_is_not_new_again() -> None:
    _, mark = build(Mark(), [Offer("a", T0 - H)], T0)
    end = T0
    for _ in range(6):  # the feed bumps its date every day
        end += 24 * H
        got, mark = build(mark, [Offer("a", end - H)], end)
        assert got.ids == ()
    assert "a" in mark.seen


def test_seen_stays_bounded() -> None:
    mark = Mark()
    end = T0
    for n in range(30):
        end += 24 * H
        offers = [Offer(f"d{n}-{k}", end - k * H) for k in range(1, 5)]
        _, mark = build(mark, offers, end)
    # four a day, kept while younger than the horizon (start - 3 days): about 4 days' worth
    assert len(mark.seen) <= 4 * 5
    undated = [Offer(f"u{n}", None) for n in range(UNDATED_KEEP + 50)]
    _, mark = build(mark, undated, end + 24 * H)
    assert sum(not s.dated for s in mark.seen.values()) == UNDATED_KEEP


def test_replay_gives_the_recorded_ids() -> None:
    recorded = Take("feed", "2024-11-05", T0 - 24 * H, T0, ("a", "b", "c"))
    kept, gone = replay(recorded, [Offer("c", None), Offer("a", None), Offer("z", None)])
    assert kept == ["a", "c"] and gone == ["b"]


def test_shown_registry() -> None:
    shown = record_shown({"x": "2024-11-01"}, Take("s", "2024-11-05", T0, T0, ("x", "y")))
    assert shown == {"x": "2024-11-01", "y": "2024-11-05"}
    assert prune_shown(shown, "2024-11-02") == {"y": "2024-11-05"}


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        build(Mark(), [Offer("a", datetime(2024, 11, 4))], T0)
    with pytest.raises(ValueError, match=r"end .* no time zone"):
        take(
            Mark(),
            "s",
            "d",
            [],
            start=T0,
            end=datetime(2024, 11, 4),
            fetched_at=T0,
            horizon=T0,
        )


# The property: random releases, random delays before a feed shows them, builds at random
# times (late, missed, run twice); every item visible by the last build is in exactly one take.
@st.composite
def streams(draw: st.DrawFn) -> tuple[list[tuple[str, datetime | None, datetime]], list[float]]:
    n = draw(st.integers(1, 40))
    items = []
    for k in range(n):
        released = T0 + timedelta(hours=draw(st.floats(0, 24 * 12)))
        delay = timedelta(hours=draw(st.floats(0, 20)))
        dated = draw(st.booleans()) or k % 5
        items.append((f"i{k}", released if dated else None, released + delay))
    gaps = draw(st.lists(st.floats(0.5, 48), min_size=2, max_size=14))
    return items, gaps


@settings(max_examples=300, deadline=None)
@given(streams(), st.lists(st.floats(0, 6), min_size=14, max_size=14), st.data())
def test_builds_partition_the_stream(
    stream: tuple[list[tuple[str, datetime | None, datetime]], list[float]],
    lateness: list[float],
    data: st.DataObject,
) -> None:
    items, gaps = stream
    mark = Mark()
    end = T0
    taken: list[str] = []
    takes: dict[str, Take] = {}
    last_fetch = T0
    for n, gap in enumerate(gaps):
        end += timedelta(hours=gap)
        fetched = end + timedelta(hours=lateness[n])  # a late run
        visible = [Offer(i, r) for i, r, v in items if v <= fetched]
        day = f"d{n:02d}"
        got, mark = take(
            mark,
            "feed",
            day,
            visible,
            start=T0,
            end=end,
            fetched_at=fetched,
            horizon=mark.released_to - LOOKBACK if mark.released_to else T0,
        )
        takes[day] = got
        taken += got.ids
        last_fetch = fetched
        if data.draw(st.booleans()):  # the same day built again: replayed, not taken again
            kept, gone = replay(takes[day], visible)
            assert kept == list(got.ids) and gone == []
    assert len(taken) == len(set(taken)), "an item reached two digests"
    final_end = mark.released_to
    assert final_end is not None
    due = {i for i, r, v in items if v <= last_fetch and (r is None or r < final_end)}
    assert due <= set(taken), f"lost: {sorted(due - set(taken))}"
