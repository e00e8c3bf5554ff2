"""Issue 14 (4): hostile bodies within the size cap cost what max_items does, not what the body
does: decompressed bytes count against the cap while streaming, and a feed of 100,000 entries
is cut before feedparser builds them."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from datetime import date

import httpx
import pytest

from core.sources import SourceError, collect
from core.sources.body import STEP, TooBig, Undecodable, decoded, read_capped
from core.sources.entries import entry_spans, trim_entries
from core.sources.feed import parse
from core.sources.http import fetch
from tests.core.sources.conftest import OPENAI, make_spec, spec_of
from tests.doubles import hostile_bodies
from tests.doubles.source_server import SourceServer

DAY = date(2025, 7, 28)
SPEC = spec_of("feed", name="huge", max_items=50)


def test_a_gzip_bomb_stops_at_the_cap_having_inflated_no_more(
    server: SourceServer, client: httpx.Client
) -> None:
    hostile_bodies.gzip_bomb()  # built before measuring: ~1 MB that inflates to 1 GB
    server.set_fault("/feeds/", "gzip-bomb")
    tracemalloc.start()
    try:
        with pytest.raises(SourceError, match="over the 2,000,000-byte limit"):
            fetch(client, server.url + OPENAI, allow_private=True, max_bytes=2_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 6_000_000  # the cap and a few steps; inflating one network read is 64 MB


def test_compressed_feeds_still_parse(server: SourceServer, client: httpx.Client) -> None:
    body = hostile_bodies.rss([("Compressed", "https://example.com/c", "text")])
    for packed in (gzip.compress(body), zlib.compress(body)):
        assert (
            b"".join(decoded([packed[:7], packed[7:]], "gzip" if packed[0] == 0x1F else "deflate"))
            == body
        )
    assert read_capped([body], "identity", len(body)) == body
    with pytest.raises(TooBig):
        read_capped([body], "", len(body) - 1)
    assert read_capped([body], "", 10, truncate=True) == body[:10]


def test_inflating_yields_small_pieces_and_refuses_what_it_cannot_read() -> None:
    bomb = gzip.compress(b"\0" * 5_000_000)
    assert max(len(p) for p in decoded([bomb], "gzip")) <= STEP
    with pytest.raises(Undecodable, match="unsupported Content-Encoding 'br'"):
        list(decoded([b"x"], "br"))
    with pytest.raises(Undecodable, match="corrupt"):
        list(decoded([b"not gzip at all"], "gzip"))


def test_reading_stops_at_a_marker_even_across_pieces() -> None:
    pieces = [b"<html><head><title>t</title></he", b"ad><body>", b"x" * 1000]
    assert read_capped(pieces, "", 10_000, stop=(b"</head>",)).endswith(b"<body>")


def test_a_feed_of_20k_entries_costs_what_50_do(server: SourceServer, client: httpx.Client) -> None:
    """(bench/hostile.py measures the 100,000-entry, 7.5 MB feed.)"""
    hostile_bodies.huge_atom(20_000)
    server.set_fault("/feeds/", "huge-atom:20000")
    spec = make_spec(server, "feed", OPENAI, max_items=50)
    tracemalloc.start()
    try:
        items = collect(client, spec, DAY)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(items) == 50
    assert [i.title for i in items[:3]] == ["Entry 0", "Entry 1", "Entry 2"]  # undated: in order
    assert peak < 10_000_000  # the 1.5 MB body and a little; all its entries cost 60 MB+


def test_trimming_keeps_the_first_and_last_entries_and_the_document_shape() -> None:
    doc = hostile_bodies.huge_atom(1000)
    spans = entry_spans(doc)
    assert len(spans) == 1000
    small = trim_entries(doc, 3, 2)
    assert [i.title for i in parse(small, SPEC.model_copy(update={"max_items": 100}))] == [
        "Entry 0",
        "Entry 1",
        "Entry 2",
        "Entry 998",
        "Entry 999",
    ]
    assert small.startswith(doc[: spans[0][0]]) and small.endswith(b"</feed>\n")
    assert trim_entries(doc, 600, 400) is doc  # few enough entries: unchanged


def test_tags_inside_cdata_and_comments_are_not_entries() -> None:
    doc = (
        b"<rss><channel><!-- <item>not one</item> -->"
        b"<item><title>a</title><description><![CDATA[<item>fake</item>]]></description></item>"
        b"<item/><atom:entry>b</atom:entry><items>no</items></channel></rss>"
    )
    assert [doc[a:b][:12] for a, b in entry_spans(doc)] == [
        b"<item><title",
        b"<item/>",
        b"<atom:entry>",
    ]
    assert entry_spans(b"<rss><item>a</item><![CDATA[ never closed <item>") == [(5, 19)]


def test_a_newest_last_feed_keeps_its_newest(server: SourceServer) -> None:
    items = [(f"Story {n}", f"https://e.com/{n}", "x") for n in range(300)]
    doc = hostile_bodies.rss(items).replace(b"Mon, 28 Jul 2025 10:00:00 GMT", b"DATE")
    for n in range(300):  # oldest first: story n at minute n
        doc = doc.replace(b"DATE", f"Mon, 28 Jul 2025 10:{n // 60:02}:{n % 60:02} GMT".encode(), 1)
    kept = parse(doc, SPEC.model_copy(update={"max_items": 10}))
    assert [i.title for i in kept[:10]] == [f"Story {n}" for n in range(299, 289, -1)]
