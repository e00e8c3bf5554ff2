"""Collecting items from the configured sources, one table of source types (`TYPES`).

Each type has a collector (the I/O for one source and one day: `collect(fetch)`, handed the
`Fetch` that `collect` below builds once) and a parser of its saved documents. The `saved` type
reads a saved document (bundled package data or a file) and parses it with the parser of the type
named by its `format`: that is how the demo day is built. Collectors raise SourceError, whose
message is fit to show to an operator.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import httpx

from core.items import Item
from core.sources import arxiv, feed, hackernews, hf_daily, saved
from core.sources.fetch import Fetch, Window
from core.sources.http import USER_AGENT, Sleep, SourceError, make_client
from core.sources.spec import SourceSpec

__all__ = ["TYPES", "USER_AGENT", "Fetch", "SourceError", "collect", "make_client", "parse_saved"]

Collector = Callable[[Fetch], list[Item]]  # a source module's `collect`
Parser = Callable[[bytes, SourceSpec], list[Item]]


@dataclass(frozen=True)
class SourceType:
    collect: Collector
    parse: Parser | None  # a saved document of this type, as collect would read it


def parse_saved(spec: SourceSpec, data: bytes) -> list[Item]:
    """A saved document of the source's type (a `saved` source: of its format), parsed as its
    collector would (same max_items) but with no date filtering."""
    kind = TYPES.get(spec.format or spec.type)
    if kind is None or kind.parse is None:
        raise SourceError(f"{spec.name}: no parser for {spec.format or spec.type!r} documents")
    return kind.parse(data, spec)


def _collect_saved(fetch: Fetch) -> list[Item]:
    return parse_saved(fetch.spec, saved.read(fetch.spec, fetch.day))


TYPES: dict[str, SourceType] = {
    "arxiv": SourceType(arxiv.collect, lambda b, s: arxiv.parse_jsonl(b, s)[: s.max_items]),
    "hf_daily": SourceType(hf_daily.collect, hf_daily.parse),
    "feed": SourceType(feed.collect, lambda b, s: feed.select(feed.parse(b, s), s, None)),
    "hn": SourceType(hackernews.collect, hackernews.parse),
    "saved": SourceType(_collect_saved, None),
}


def collect(
    client: httpx.Client,
    spec: SourceSpec,
    day: date,
    window: Window | None = None,
    *,
    sleep: Sleep = time.sleep,
) -> list[Item]:
    """The items of one source for `day`, by its type's collector (see `Fetch`)."""
    kind = TYPES.get(spec.type)
    if kind is None:
        raise SourceError(f"{spec.name}: unknown source type {spec.type!r}")
    return kind.collect(Fetch(client, spec, day, window, sleep))
