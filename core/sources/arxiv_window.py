"""arXiv by announcement: what arXiv made public in a digest's window, asked of the export API.

A digest covers the announcements made since the previous digest (core/sources/arxiv_calendar).
Each announcement carries the submissions of one window ([cutoff before, own cutoff), US-Eastern
14:00s), so we ask the export API for `submittedDate` in those windows, one query per
announcement, paged. Why the API and not arXiv's RSS feed or /list/…/new page: those show only
the latest announcement (and are empty on weekends and holidays), so a build that was missed or
failed could never catch up; the API answers for any past window, and answers the same again
when a past day is rebuilt.

- Cross-lists count once: a paper in several of our categories is one entry of the OR query
  (and ids are deduplicated anyway).
- A replaced paper is not news again: its `<published>` stays the first version's submission
  time, so it falls outside any later window; we filter on it ourselves, whatever the API's
  date filter matched.
- The API serves an announcement from the midnight (US-Eastern) after it, so an announcement
  counts as released API_SETTLE after 20:00 ET.
- Papers held in moderation go out one or more announcements late, with their old submission
  time: each query also re-asks the `hold` announcements before the window; the watermark's seen
  ids (core/watermark.py) keep the papers already shown out.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial

import httpx

from core.items import Item
from core.sources.arxiv import PAGE_PAUSE, pages
from core.sources.arxiv_calendar import ArxivCalendar, Silence
from core.sources.http import Sleep, SourceError
from core.sources.spec import SourceSpec
from core.sources.watch import Deadline

API_SETTLE = timedelta(hours=4)  # 20:00 ET announcement, in the API from 00:00 ET
HOLD_ANNOUNCEMENTS = 1  # announcements re-asked for papers held in moderation
API_PAGE_MAX = 2000  # the API's largest page
API_RESULTS_MAX = 30000  # the API returns no result past this offset

Span = tuple[datetime, datetime]  # [start, end) of submission times, UTC


@dataclass(frozen=True)
class Release:
    """What arXiv made public in a digest's window (start, end]."""

    start: datetime
    end: datetime
    announcements: tuple[datetime, ...]  # UTC instants of the 20:00 ET announcements covered
    windows: tuple[Span, ...]  # their submission windows, then the re-asked held ones first
    silent: tuple[tuple[date, Silence], ...]  # US-Eastern evenings without an announcement
    next_announcement: datetime  # the first announcement after this window
    horizon: datetime  # the oldest submission still asked for (the watermark's horizon)

    @property
    def submitted(self) -> Span | None:
        """Submission times the announcements carried (held papers aside)."""
        if not self.announcements:
            return None
        own = self.windows[-len(self.announcements) :]
        return own[0][0], own[-1][1]


def release(
    calendar: ArxivCalendar,
    start: datetime,
    end: datetime,
    *,
    settle: timedelta = API_SETTLE,
    hold: int = HOLD_ANNOUNCEMENTS,
) -> Release:
    """The announcements released (settled in the API) in (start, end], and what to ask for."""
    lo, hi = start - settle, end - settle
    announced = calendar.announcements_between(lo, hi)
    upcoming = calendar.next_announcement(hi)
    held: list[datetime] = []
    before = announced[0] if announced else upcoming
    for _ in range(hold):
        before = calendar.latest_announcement(before - timedelta(minutes=1))
        held.insert(0, before)
    return Release(
        start=start.astimezone(UTC),
        end=end.astimezone(UTC),
        announcements=tuple(announced),
        windows=tuple(calendar.submission_window(a) for a in [*held, *announced])
        if announced
        else (),
        silent=tuple(calendar.silent_evenings(lo, hi)),
        next_announcement=upcoming,
        # the same on a day without announcement as on the next day with one: the papers of
        # the held window stay remembered until they can no longer be asked for
        horizon=calendar.submission_window(before)[0],
    )


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y%m%d%H%M")


def submitted_query(spec: SourceSpec, span: Span) -> str:
    """`(cat:… OR cat:…) AND submittedDate:[from TO to]`, minutes in GMT, both ends inclusive:
    [start, end) becomes [start's minute TO the minute before end]."""
    start, end = span
    dates = f"submittedDate:[{_stamp(start)} TO {_stamp(end - timedelta(minutes=1))}]"
    cats = " OR ".join(f"cat:{c}" for c in spec.categories)
    return f"({cats}) AND {dates}" if cats else dates


def page_params(spec: SourceSpec, span: Span, offset: int) -> dict[str, str | int]:
    return {
        "search_query": submitted_query(spec, span),
        "sortBy": "submittedDate",
        "sortOrder": "ascending",  # new submissions land at the end: pages don't shift
        "start": offset,
        "max_results": min(max(spec.page_size, 1), API_PAGE_MAX),
    }


def collect_spans(
    client: httpx.Client,
    spec: SourceSpec,
    spans: Sequence[Span],
    *,
    sleep: Sleep = time.sleep,
    pause: float = PAGE_PAUSE,
) -> list[Item]:
    """Every paper first submitted in one of the spans ([start, end) each; a release's windows,
    held ones first), one id once, in submission order; no cap (a digest must not drop papers;
    the summary caps what it shows). The source's deadline bounds every request together, and
    arXiv's three seconds are kept between any two. No spans (no announcement): nothing asked."""
    found: dict[str, Item] = {}
    deadline = Deadline(spec.deadline)
    for n, span in enumerate(spans):
        start, end = span
        params = partial(page_params, spec, span)
        asked = pages(
            client, spec, params, sleep=sleep, pause=pause, deadline=deadline, first=n == 0
        )
        for page, total in asked:
            if total > API_RESULTS_MAX:
                raise SourceError(
                    f"{spec.name}: {total} papers in one submission window, more than the arXiv"
                    f" API returns ({API_RESULTS_MAX}); configure fewer categories"
                )
            for item in page:
                if item.published is None or start <= item.published < end:
                    found.setdefault(item.id, item)
    return list(found.values())
