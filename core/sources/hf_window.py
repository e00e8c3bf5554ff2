"""Hugging Face Daily Papers by listing date: the dates a digest's window asks for.

HF lists papers per UTC date and fills a date's list through the day (and keeps adding upvotes).
A digest asks for every date from its horizon's to its end's, so a date that was still filling
at the previous build is asked again; the watermark's seen ids keep the papers already taken
out. An item's release time is the start of the date that lists it (its `published` is the
paper's own arXiv date, often days older: a paper HF features late is still today's listing).
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import httpx

from core.items import Item
from core.sources import hf_daily
from core.sources.fetch import Fetch
from core.sources.http import Sleep
from core.sources.spec import SourceSpec

MAX_DATES = 14  # a digest never asks for more dates than this (a long outage: the newest)


def listing_dates(horizon: datetime, end: datetime) -> list[date]:
    """The UTC dates whose lists may hold something released in [horizon, end)."""
    first = horizon.astimezone(UTC).date()
    last = (end.astimezone(UTC) - timedelta(microseconds=1)).date()
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return days[-MAX_DATES:]


def listed_at(day: date) -> datetime:
    """The release time of everything a date lists: its start (UTC)."""
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC)


def collect_dates(
    client: httpx.Client,
    spec: SourceSpec,
    days: list[date],
    *,
    sleep: Sleep = time.sleep,
) -> list[tuple[Item, datetime]]:
    """Each listed paper once (its earliest date), with the release time of that date."""
    found: dict[str, tuple[Item, datetime]] = {}
    for day in days:
        for item in hf_daily.collect(Fetch(client, spec, day, sleep=sleep)):
            found.setdefault(item.id, (item, listed_at(day)))
    return list(found.values())
