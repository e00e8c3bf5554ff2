"""Intake: what one source gives a digest, by the watermark rule (core/watermark.py).

`take_new` asks a source for what it released since its mark (arXiv by its announcement
calendar, Hugging Face by listing date, feeds and Hacker News by item date, each with a lookback
for what shows up late) and splits it into the day's new items and the ones featured again.
`replay` rebuilds a day from its recorded `Take`: the same window asked again, the same ids.
Nothing here stores anything: the caller keeps marks and takes (Redis for the workers, a state
file for the CLI) and must replay a day that already has a take instead of taking again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from core.digest import Coverage
from core.items import Item
from core.sources import feed, hackernews
from core.sources.arxiv_calendar import ArxivCalendar, load_holidays
from core.sources.arxiv_window import Release, collect_spans, release
from core.sources.fetch import Fetch
from core.sources.hf_window import collect_dates, listing_dates
from core.sources.http import Sleep, SourceError, fetch_source
from core.sources.spec import SourceSpec
from core.watermark import Mark, Offer, Take, replay, take

Shown = Mapping[str, str] | Callable[[Sequence[str]], Mapping[str, str]]


@dataclass(frozen=True)
class Lookback:
    """How far back a digest still takes what a source shows late, per source type."""

    feed: timedelta = timedelta(days=3)  # feeds and Hacker News
    hf_daily: timedelta = timedelta(days=2)  # listing dates asked again
    calendar: ArxivCalendar = field(default_factory=ArxivCalendar.shipped)

    def back(self, spec: SourceSpec) -> timedelta:
        """The source's lookback: HF's, or that of feeds and HN (arXiv follows its calendar)."""
        return self.hf_daily if spec.type == "hf_daily" else self.feed


def lookback_for(holidays_file: Path | None) -> Lookback:
    """The default lookbacks, with arXiv's holidays from a file (None: the shipped list)."""
    return Lookback(calendar=ArxivCalendar(load_holidays(holidays_file)))


@dataclass
class Intake:
    items: list[Item]  # new today
    featured: list[Item]  # shown by an earlier digest, listed again today (HF upvotes)
    take: Take
    mark: Mark
    release: Release | None = None  # sources on arXiv's calendar
    gone: list[str] = field(default_factory=list)  # a replay's recorded ids no longer served
    replayed: bool = False  # the day's recorded take, asked again


@dataclass(frozen=True)
class Asking:
    """One source as a digest asks it: through `client`, looking back by `lookback` for what it
    shows late; `sleep` waits between retries and arXiv pages (tests pass a no-op)."""

    client: httpx.Client
    spec: SourceSpec
    lookback: Lookback = field(default_factory=Lookback)
    sleep: Sleep = time.sleep

    def offered(
        self, start: datetime, end: datetime, horizon: datetime
    ) -> tuple[list[tuple[Item, datetime | None]], Release | None]:
        """What the source shows now for the window, each item with its release time."""
        client, spec, sleep = self.client, self.spec, self.sleep
        if spec.type == "arxiv":
            plan = release(self.lookback.calendar, start, end)
            papers = collect_spans(client, spec, plan.windows, sleep=sleep)
            return [(p, p.published) for p in papers], plan
        if spec.type == "hf_daily":
            dates = listing_dates(horizon, end)
            return list(collect_dates(client, spec, dates, sleep=sleep)), None
        if spec.type == "feed":  # the whole document: the watermark, not max_items, picks
            items = feed.parse(fetch_source(client, spec, sleep=sleep), spec)
            return [(i, i.published) for i in items], None
        if spec.type == "hn":
            stories = hackernews.collect(Fetch(client, spec, end.date(), (horizon, end), sleep))
            return [(s, s.published) for s in stories], None
        raise SourceError(f"{spec.name}: unknown source type {spec.type!r}")

    def horizon(self, mark: Mark, start: datetime, end: datetime) -> datetime:
        """The oldest release time the next take still accepts."""
        if self.spec.type == "arxiv":
            plan = release(self.lookback.calendar, mark.released_to or start, end)
            if mark.released_to is None:  # a first digest: its own announcements only
                return plan.submitted[0] if plan.submitted else plan.end
            return plan.horizon
        if mark.released_to is None:
            return start
        return mark.released_to - self.lookback.back(self.spec)


def take_new(
    asking: Asking,
    mark: Mark,
    day: str,
    *,
    start: datetime,
    end: datetime,
    fetched_at: datetime,
    shown: Shown | None = None,
) -> Intake:
    """Day `day`'s items from one source: released since its mark (or `start` for a first
    digest) up to `end` (the digest's build time). `shown` gives the day a digest first showed
    an id (a mapping, or a lookup asked with the offered ids). Raises SourceError when the
    source fails; the mark is then left as it was, so the next digest takes what this one
    could not."""
    window_start = mark.released_to or start
    offered: list[tuple[Item, datetime | None]] = []
    plan: Release | None = None
    horizon = end
    if window_start < end:  # else a later digest already covered this window
        horizon = asking.horizon(mark, start, end)
        offered, plan = asking.offered(window_start, end, horizon)
    offers = [Offer(i.id, at) for i, at in offered]
    known = shown([o.id for o in offers]) if callable(shown) else shown
    taken, new_mark = take(
        mark,
        asking.spec.name,
        day,
        offers,
        start=start,
        end=end,
        fetched_at=fetched_at,
        horizon=horizon,
        shown=known,
    )
    by_id = {i.id: i for i, _ in offered}
    return Intake(
        items=[by_id[i] for i in taken.ids],
        featured=[by_id[i] for i in taken.featured],
        take=taken,
        mark=new_mark,
        release=plan,
    )


def replay_day(asking: Asking, recorded: Take, mark: Mark) -> Intake:
    """A day built again: its recorded window asked again, its recorded ids kept (in their
    recorded order). The mark is returned unchanged: a rebuild moves nothing."""
    if recorded.covered_before:
        return Intake([], [], recorded, mark, replayed=True)
    # At least as far back as the original take looked.
    horizon = recorded.start - asking.lookback.back(asking.spec)
    offered, plan = asking.offered(recorded.start, recorded.end, horizon)
    kept, gone = replay(recorded, [Offer(i.id, at) for i, at in offered])
    by_id = {i.id: i for i, _ in offered}
    featured = [by_id[i] for i in recorded.featured if i in by_id]
    return Intake([by_id[i] for i in kept], featured, recorded, mark, plan, gone, replayed=True)


def coverage_of(got: Intake) -> Coverage:
    """What the take covered, as the day's build info keeps it."""
    plan = got.release
    return Coverage(
        start=got.take.start.isoformat(),
        end=got.take.end.isoformat(),
        featured=len(got.featured),
        replayed=got.replayed,
        gone=len(got.gone),
        scheduled=plan is not None,
        announcements=[a.isoformat() for a in plan.announcements] if plan else [],
        silent=[(d.isoformat(), why) for d, why in plan.silent] if plan else [],
        next_announcement=plan.next_announcement.isoformat() if plan else None,
    )
