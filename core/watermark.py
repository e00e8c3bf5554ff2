"""The watermark: a digest covers what each source released since the previous digest.

Every source keeps a `Mark`: the end of the last window a digest took (`released_to`) and the ids
it took (`seen`), each with when the source released it. A build of day D offers the mark what
the source shows now (`Offer`: an id and its release time: a feed item's date, an arXiv paper's
submission time, a Hugging Face listing date) and `take` splits it:

- new: not seen before, released before the window's end, and not older than the `horizon`
  (a feed that shows an item hours late still gets it into the next digest; a feed's archive of
  old posts does not flood the first one);
- featured: shown earlier by another source (`shown`: an arXiv paper that Hugging Face lists
  days later is not a new item, only "featured today");
- left for the next digest: released after the window's end (a late build doesn't eat into
  tomorrow), or already seen.

So consecutive digests partition each source's stream whatever the weekday, a late, repeated or
missed build. The `Take` (window and ids) is stored with the day: a rebuild of D replays it
(`replay`) and gets the same items; a day whose window a later digest already covered takes
nothing. `seen` stays bounded: dated ids leave it once older than the horizon (they could not
be taken again), undated ones beyond the newest UNDATED_KEEP.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

FUTURE_SLACK = timedelta(hours=1)  # dated later than this after the fetch: the date is wrong
UNDATED_KEEP = 2000  # undated ids remembered per source


@dataclass(frozen=True)
class Offer:
    id: str
    released_at: datetime | None  # None: the source gives no date


@dataclass(frozen=True)
class Seen:
    day: str  # the digest that took it (YYYY-MM-DD)
    at: datetime  # its release time, or when it was first seen if undated
    dated: bool


@dataclass(frozen=True)
class Mark:
    released_to: datetime | None = None  # None: no digest has taken from this source yet
    seen: Mapping[str, Seen] = field(default_factory=dict)


@dataclass(frozen=True)
class Take:
    """What one digest took from one source; stored with the day."""

    source: str
    day: str
    start: datetime  # released after …
    end: datetime  # … up to (start == end: a later digest had already covered this window)
    ids: tuple[str, ...] = ()  # new items, in the source's order
    featured: tuple[str, ...] = ()  # shown before by another source, listed again today

    @property
    def covered_before(self) -> bool:
        return self.start == self.end


def _aware(at: datetime, what: str) -> datetime:
    if at.tzinfo is None:
        raise ValueError(f"{what} {at.isoformat()} has no time zone")
    return at


def take(
    mark: Mark,
    source: str,
    day: str,
    offers: Iterable[Offer],
    *,
    start: datetime,
    end: datetime,
    fetched_at: datetime,
    horizon: datetime,
    shown: Mapping[str, str] | None = None,
) -> tuple[Take, Mark]:
    """Split what a source shows now into this digest's new and featured items.

    `start` is recorded as the window's start when the mark has never been advanced (the first
    digest: e.g. the previous build time); `end` is this digest's build time (or the fetch time
    when earlier); `horizon` is the oldest release time still taken: the previous end minus the
    source's lookback, or for a first digest its start (a feed's archive is not news); `shown`
    maps ids to the day a digest first showed them (any source; entries of `day` or later are
    ignored). Release times are the source's own: a feed item's date, an arXiv submission time.
    """
    for at, what in ((start, "start"), (end, "end"), (fetched_at, "fetched_at")):
        _aware(at, what)
    _aware(horizon, "horizon")
    begin = mark.released_to or start
    if mark.released_to is not None and end <= mark.released_to:
        return Take(source, day, end, end), mark
    earlier = {k: v for k, v in (shown or {}).items() if v < day}
    first = mark.released_to is None
    seen = dict(mark.seen)
    new: list[str] = []
    featured: list[str] = []
    for offer in _unique(offers):
        when = offer.released_at
        known = seen.get(offer.id)
        if known is not None:  # an edited item may move its date: keep it remembered
            if when is not None and known.dated and when > known.at:
                seen[offer.id] = Seen(known.day, when, True)
            continue
        if when is not None and when < horizon:
            if first:  # the imaginary previous digest's: not news for a later lookback either
                seen[offer.id] = Seen("", when, True)
            continue  # too old to be news
        if when is not None and end <= when <= fetched_at + FUTURE_SLACK:
            continue  # released after this window: the next digest's
        if offer.id in earlier:
            featured.append(offer.id)
        else:
            new.append(offer.id)
        seen[offer.id] = Seen(day, when or fetched_at, when is not None)
    result = Take(source, day, begin, end, tuple(new), tuple(featured))
    released_to = max(end, mark.released_to) if mark.released_to else end
    # a first digest keeps what it saw before its window until later lookbacks pass it by
    keep_from = min((v.at for v in seen.values()), default=horizon) if first else horizon
    return result, Mark(released_to, _bounded(seen, keep_from))


def _unique(offers: Iterable[Offer]) -> list[Offer]:
    out: dict[str, Offer] = {}
    for offer in offers:
        if offer.released_at is not None:
            _aware(offer.released_at, f"release time of {offer.id}")
        out.setdefault(offer.id, offer)
    return list(out.values())


def _bounded(seen: Mapping[str, Seen], horizon: datetime) -> dict[str, Seen]:
    dated = {k: v for k, v in seen.items() if v.dated and v.at >= horizon}
    undated = sorted(((k, v) for k, v in seen.items() if not v.dated), key=lambda kv: kv[1].at)
    return dated | dict(undated[-UNDATED_KEEP:])


def replay(recorded: Take, offers: Sequence[Offer]) -> tuple[list[str], list[str]]:
    """A rebuild: the recorded ids the source still offers (recorded order), and those it no
    longer does (a feed that rotated them out)."""
    offered = {o.id for o in offers}
    return (
        [i for i in recorded.ids if i in offered],
        [i for i in recorded.ids if i not in offered],
    )


def record_shown(shown: Mapping[str, str], taken: Take) -> dict[str, str]:
    """`shown` plus this take's new ids (an id keeps the first day that showed it)."""
    out = dict(shown)
    for item_id in taken.ids:
        if item_id not in out or taken.day < out[item_id]:
            out[item_id] = taken.day
    return out


def prune_shown(shown: Mapping[str, str], oldest_day: str) -> dict[str, str]:
    """Forget ids first shown before `oldest_day` (a week or a month of ids stays bounded)."""
    return {k: v for k, v in shown.items() if v >= oldest_day}
