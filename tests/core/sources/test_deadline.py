"""Issue 14 (1): a source that answers too slowly, however it does it, ends at its deadline.

A drip (one byte every interval) defeats any per-read timeout; the deadline covers connect,
every read, retries and redirects together, and the error names the source.
"""

from __future__ import annotations

import time
from datetime import date

import httpx
import pytest

from core.sources import SourceError, collect
from core.sources.http import fetch
from core.sources.spec import SourceSpec, load_sources
from core.sources.watch import Deadline
from tests.core.sources.conftest import OPENAI, make_spec
from tests.doubles.source_server import SourceServer

DAY = date(2025, 7, 28)


def test_a_drip_feed_ends_at_the_source_deadline_naming_the_source(
    server: SourceServer, client: httpx.Client
) -> None:
    server.set_fault("/feeds/", "drip:0.2")  # every read succeeds: 0.2 s is far below 5 s
    spec = make_spec(server, "feed", OPENAI, name="slow-blog", deadline=1.0)
    t0 = time.monotonic()
    with pytest.raises(SourceError) as e:
        collect(client, spec, DAY)
    took = time.monotonic() - t0
    assert str(e.value).startswith("slow-blog: 127.0.0.1:")
    assert "no complete answer within the 1-second deadline" in str(e.value)
    assert 0.9 < took < 1.9  # the deadline, not the drip's 60 s, nor a read timeout


def test_a_silent_server_retried_within_the_deadline(
    server: SourceServer, client: httpx.Client
) -> None:
    """Retries and their waits come out of the same budget: no fourth try past the deadline."""
    server.set_fault("/feeds/", "hang:30")
    t0 = time.monotonic()
    with pytest.raises(SourceError, match=r"within the 1\.5-second deadline"):
        fetch(
            client,
            server.url + OPENAI,
            allow_private=True,
            deadline=1.5,
            backoff=0.1,
            sleep=time.sleep,
        )
    assert time.monotonic() - t0 < 2.5


def test_headers_that_drip_are_cut_too(server: SourceServer, client: httpx.Client) -> None:
    server.set_fault("/feeds/", "slow:3")  # no byte at all until 3 s: the status line is late
    with pytest.raises(SourceError, match=r"within the 0\.5-second deadline"):
        fetch(client, server.url + OPENAI, allow_private=True, deadline=0.5, retries=0)


def test_one_deadline_spans_a_source_s_requests() -> None:
    now = [100.0]
    deadline = Deadline(10.0, clock=lambda: now[0])
    now[0] += 4
    assert deadline.remaining() == 6.0 and not deadline.expired()
    now[0] += 7
    assert deadline.remaining() == 0.0 and deadline.expired()


def test_the_deadline_is_set_per_source_in_sources_toml() -> None:
    shipped = {s.name: s.deadline for s in load_sources()}
    assert shipped["openai-news"] == 30.0  # the default
    assert shipped["arxiv"] > 30.0  # arXiv is slow and paged politely
    with pytest.raises(ValueError, match="deadline"):
        SourceSpec(name="x", type="feed", kind="news", url="u", deadline=0)
