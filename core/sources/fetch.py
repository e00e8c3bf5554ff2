"""What a collector is asked: one source for one day (`Fetch`), built once by
`core.sources.collect`, so that every source type's `collect(fetch)` writes only what differs."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime

import httpx

from core.sources.http import Params, Sleep, fetch_source
from core.sources.spec import SourceSpec
from core.sources.watch import Deadline

Window = tuple[datetime, datetime]  # [start, end), tz-aware


@dataclass(frozen=True)
class Fetch:
    """The items of `spec` for `day`. arXiv and HF are asked for that day; feeds and HN are dated
    by `window`, which None leaves open; saved documents are taken whole. `sleep` waits between
    retries and arXiv pages (tests pass a no-op)."""

    client: httpx.Client
    spec: SourceSpec
    day: date
    window: Window | None = None
    sleep: Sleep = time.sleep

    def body(self, params: Params | None = None, deadline: Deadline | None = None) -> bytes:
        """The whole body of the source's URL (see `fetch_source`), with this fetch's client
        and sleep."""
        return fetch_source(
            self.client, self.spec, params=params, sleep=self.sleep, deadline=deadline
        )
