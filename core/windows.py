"""When a digest date is built, and the window a first digest starts from.

A digest's date is a calendar date in DIGEST_TIMEZONE, built at DIGEST_BUILD_TIME that morning.
What it covers is what each source released since the previous digest (core/watermarks.py, arXiv
by its announcement calendar); `news_window`, the 24 hours before the build, is where a source's
first digest starts. `source_day` is the old calendar guess (arXiv "submitted two days before"),
left only for collecting without watermarks (a saved source's day is its own).
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
