"""http.fetch over real sockets to the stand-in: byte-exact bodies, retries, limits, errors."""

from __future__ import annotations

import socket
import time
import tracemalloc
from typing import Any

import httpx
import pytest

from core.sources import USER_AGENT, SourceError, http
from tests.core.sources.conftest import OPENAI, demo_bytes
from tests.doubles.source_server import SourceServer


def fetch_bytes(client: httpx.Client, url: str, **kw: Any) -> bytes:
    """The stand-in is on 127.0.0.1: these tests allow private addresses."""
    return http.fetch(client, url, allow_private=True, **kw).body


def test_body_is_the_saved_feed_byte_for_byte(server: SourceServer, client: httpx.Client) -> None:
    body = fetch_bytes(client, server.url + OPENAI)
    assert body == demo_bytes("openai_news_rss_2025-07-28.xml")
    assert server.user_agent(OPENAI) == USER_AGENT


def test_500_is_not_retried_and_names_source_and_status(
    server: SourceServer, client: httpx.Client, naps: list[float]
) -> None:
    server.set_fault("/feeds/", "status:500")
    with pytest.raises(SourceError) as e:
        fetch_bytes(client, server.url + OPENAI, source="openai-news", sleep=naps.append)
    assert str(e.value).startswith("openai-news: 127.0.0.1:")
    assert "HTTP 500" in str(e.value)
    assert server.count(OPENAI) == 1 and naps == []


def test_error_message_leaves_out_the_query_string(
    server: SourceServer, client: httpx.Client
) -> None:
    server.set_fault("/feeds/", "status:403")
    with pytest.raises(SourceError) as e:
        fetch_bytes(client, server.url + OPENAI, params={"api_key": "s3cr3t-token"})
    assert "HTTP 403" in str(e.value) and "s3cr3t" not in str(e.value)


def test_429_then_ok_is_retried_after_retry_after(
    server: SourceServer, client: httpx.Client, naps: list[float]
) -> None:
    server.set_fault("/feeds/", "429-then-ok")
    body = fetch_bytes(client, server.url + OPENAI, sleep=naps.append)
    assert body == demo_bytes("openai_news_rss_2025-07-28.xml")
    assert server.count(OPENAI) == 2
    assert naps == [1.0]  # the server's Retry-After, not our backoff


def test_503_twice_then_ok(server: SourceServer, client: httpx.Client, naps: list[float]) -> None:
    server.set_fault("/feeds/", "503-then-ok:2")
    fetch_bytes(client, server.url + OPENAI, sleep=naps.append)
    assert server.count(OPENAI) == 3 and naps == [1.0, 1.0]


def test_throttled_for_good_gives_up_after_the_retries(
    server: SourceServer, client: httpx.Client, naps: list[float]
) -> None:
    server.set_fault("/feeds/", "429-then-ok:99")
    with pytest.raises(SourceError, match=r"HTTP 429.*tried 3 times, giving up"):
        fetch_bytes(client, server.url + OPENAI, retries=2, sleep=naps.append)
    assert server.count(OPENAI) == 3 and len(naps) == 2


def test_hang_times_out_retries_with_backoff_then_gives_up(
    server: SourceServer, impatient_client: httpx.Client, naps: list[float]
) -> None:
    server.set_fault("/feeds/", "hang:3")
    t0 = time.monotonic()
    with pytest.raises(SourceError, match="timed out; tried 3 times"):
        fetch_bytes(
            impatient_client, server.url + OPENAI, retries=2, backoff=0.5, sleep=naps.append
        )
    assert time.monotonic() - t0 < 2.5
    assert server.count(OPENAI) == 3 and naps == [0.5, 1.0]


def test_oversized_body_stops_early_without_filling_memory(
    server: SourceServer, client: httpx.Client
) -> None:
    server.set_fault("/feeds/", "oversized:40")  # 40 MB, streamed, no Content-Length
    tracemalloc.start()
    try:
        with pytest.raises(SourceError, match="over the 2,000,000-byte limit"):
            fetch_bytes(client, server.url + OPENAI, max_bytes=2_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000  # a fully read body would be 40 MB


def test_declared_length_over_the_limit_is_refused_before_reading(
    server: SourceServer, client: httpx.Client
) -> None:
    with pytest.raises(SourceError, match="is 358,376 bytes, over the 100,000-byte limit"):
        fetch_bytes(client, server.url + OPENAI, max_bytes=100_000)


def test_unknown_path_is_a_404(server: SourceServer, client: httpx.Client) -> None:
    with pytest.raises(SourceError, match=r"HTTP 404 Not Found \(request refused\)"):
        fetch_bytes(client, server.url + "/feeds/nope.xml")


def test_nobody_listening_is_retried_then_a_connection_failure(
    client: httpx.Client, naps: list[float]
) -> None:
    with socket.socket() as s:  # a port that was free a moment ago
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(SourceError, match=r"connection failed \(ConnectError\); tried 2 times"):
        fetch_bytes(client, f"http://127.0.0.1:{port}/x", retries=1, sleep=naps.append)
    assert naps == [1.0]


def test_a_url_that_is_not_http_fails_at_once(client: httpx.Client, naps: list[float]) -> None:
    with pytest.raises(SourceError, match=r"^demo: saved:x: not a fetchable http"):
        fetch_bytes(client, "saved:x", source="demo", sleep=naps.append)
    assert naps == []
