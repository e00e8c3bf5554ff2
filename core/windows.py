"""Which source days and time window a digest date covers.

A digest's date is a calendar date in DIGEST_TIMEZONE, built at DIGEST_BUILD_TIME that morning.
It covers what arrived in the 24 hours before that build time: news published in that window,
Hugging Face's Daily Papers of the day before, and the arXiv papers announced the day before,
which are those submitted two days before (arXiv announces at 00:00 UTC, the next weekday).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from core.localtime import instant, parse_hhmm

ARXIV_LAG_DAYS = 2
HF_LAG_DAYS = 1


def build_moment(day: date, tz: str, build_time: str) -> datetime:
    """When the digest of `day` is built (UTC)."""
    return instant(day, parse_hhmm(build_time), tz)


def news_window(day: date, tz: str, build_time: str) -> tuple[datetime, datetime]:
    end = build_moment(day, tz, build_time)
    return end - timedelta(hours=24), end


def source_day(day: date, source_type: str) -> date:
    if source_type == "arxiv":
        return day - timedelta(days=ARXIV_LAG_DAYS)
    if source_type == "hf_daily":
        return day - timedelta(days=HF_LAG_DAYS)
    return day


def is_weekend(day: date) -> bool:
    return day.weekday() >= 5
