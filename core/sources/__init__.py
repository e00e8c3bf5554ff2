"""Collecting items from the configured sources: arXiv, HF Daily Papers, RSS/Atom feeds, HN.

`collect` does the I/O for one source and one day; `parse_saved` reads a saved document of a
source (the demo). Both raise SourceError, whose message is fit to show to an operator.
"""

from __future__ import annotations

import time
from datetime import date, datetime

import httpx

from core.items import Item
from core.sources import arxiv, feed, hackernews, hf_daily
from core.sources.http import USER_AGENT, Sleep, SourceError, make_client
from core.sources.spec import SourceSpec

__all__ = ["USER_AGENT", "SourceError", "collect", "make_client", "parse_saved"]


def collect(
    client: httpx.Client,
    spec: SourceSpec,
    day: date,
    window: tuple[datetime, datetime] | None = None,
    *,
    sleep: Sleep = time.sleep,
) -> list[Item]:
    """The items of one source for `day`. arXiv and HF are asked for that day; feeds and HN
    are dated by `window` ([start, end), tz-aware), which None leaves open. `sleep` waits
    between retries and arXiv pages (tests pass a no-op)."""
    if spec.type == "arxiv":
        return arxiv.collect(client, spec, day, window, sleep=sleep)
    if spec.type == "hf_daily":
        return hf_daily.collect(client, spec, day, window, sleep=sleep)
    if spec.type == "feed":
        return feed.collect(client, spec, day, window, sleep=sleep)
    if spec.type == "hn":
        return hackernews.collect(client, spec, day, window, sleep=sleep)
    raise SourceError(f"{spec.name}: unknown source type {spec.type!r}")


def parse_saved(spec: SourceSpec, data: bytes) -> list[Item]:
    """A saved document of the source's type, parsed as `collect` would (same max_items) but
    with no date filtering. For arXiv the saved format is JSON Lines, one paper a line."""
    if spec.type == "arxiv":
        return arxiv.parse_jsonl(data, spec)[: spec.max_items]
    if spec.type == "hf_daily":
        return hf_daily.parse(data, spec)
    if spec.type == "feed":
        return feed.select(feed.parse(data, spec), spec, None)
    if spec.type == "hn":
        return hackernews.parse(data, spec)
    raise SourceError(f"{spec.name}: unknown source type {spec.type!r}")
