"""Issue 12 (4): Hacker News items carry their linked page's title and text, read within the
source's deadline and its address rules, a few pages at a time; a page that fails changes
nothing but its own item."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import httpx
import pytest

from core.sources import collect
from core.sources.pages import is_html, read_page
from core.sources.spec import SourceSpec, load_sources
from tests.core.sources.conftest import HN
from tests.doubles.hostile_bodies import linked_page
from tests.doubles.source_server import SourceServer

DAY = date(2026, 3, 22)
WINDOW = (datetime(2026, 3, 21, tzinfo=UTC), datetime(2026, 3, 22, tzinfo=UTC))
TINYBOX = "Tinybox – Offline AI device 120B parameters"


def hn(server: SourceServer, **changes: object) -> SourceSpec:
    spec = next(s for s in load_sources() if s.type == "hn")
    update = {"url": server.url + HN, "allow_private": True, **changes}
    return spec.model_copy(update=update)


def test_items_carry_their_page_s_title_and_description(
    server: SourceServer, client: httpx.Client
) -> None:
    server.set_fault("/hn/", "pages")
    items = collect(client, hn(server, query="", min_points=100), DAY, WINDOW)
    assert len(items) == 12 and server.count("/pages/") == 12
    tinybox = next(i for i in items if i.title == TINYBOX)
    assert tinybox.summary == (
        f"{TINYBOX} | Example News — What the article behind \u201c{TINYBOX}\u201d says, "
        "in its own words."
    )
    assert all("says, in its own words." in i.summary for i in items)


def test_linked_pages_can_be_turned_off(server: SourceServer, client: httpx.Client) -> None:
    server.set_fault("/hn/", "pages")
    items = collect(client, hn(server, query="", linked_pages=False), DAY, WINDOW)
    assert items and server.count("/pages/") == 0 and all(i.summary == "" for i in items)


def test_a_dripping_page_costs_its_page_budget_not_the_build(
    server: SourceServer, client: httpx.Client
) -> None:
    server.set_fault("/hn/", "pages")
    server.set_fault("/pages/", "drip:0.5")
    t0 = time.monotonic()
    items = collect(client, hn(server, query="", min_points=100, deadline=3.0), DAY, WINDOW)
    assert time.monotonic() - t0 < 3.0
    assert len(items) == 12 and all(i.summary == "" for i in items)  # the hits, as they were


def test_a_page_that_redirects_to_a_private_address_is_not_read(
    server: SourceServer, client: httpx.Client, loopback_only: list[str]
) -> None:
    server.set_fault("/hn/", "pages")
    server.set_fault("/pages/", "redirect:http://169.254.169.254/latest/meta-data/")
    items = collect(client, hn(server, query="", allow_private=["127.0.0.1/32"]), DAY, WINDOW)
    assert items and all(i.summary == "" for i in items) and loopback_only == []


def test_read_page_takes_the_head_then_paragraphs() -> None:
    page = linked_page("Big <model> launch", "A description & more.")
    assert read_page(page) == ("Big <model> launch | Example News", "A description & more.")
    bare = (
        b"<html><head><title>Bare\n page</title><script>var x='<p>no</p>'</script></head><body>"
        b"<p>Too short.</p><p>The first paragraph with enough words to count.</p>"
        b"<p>A second one, <a href='#'>with a link</a>, is kept as well.</p></body></html>"
    )
    assert read_page(bare) == (
        "Bare page",
        "The first paragraph with enough words to count. A second one, with a link, is kept "
        "as well.",
    )
    assert read_page(b"\xff\xfe not html at all") == ("", "")


@pytest.mark.parametrize("ctype", ["application/pdf", "image/png"])
def test_pages_that_are_not_html_are_not_read(ctype: str) -> None:
    assert not is_html(ctype) and is_html("text/html; charset=utf-8")
