"""RSS and Atom feeds: the saved real feeds served by the stand-in, HTML to text, bad documents."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.items import url_item_id
from core.sources import SourceError, collect, parse_saved
from core.sources.feed import MAX_SUMMARY, collapse, html_to_text, parse
from tests.core.sources.conftest import (
    GEEKNEWS,
    GOOGLE,
    HN_RSS,
    OPENAI,
    demo_bytes,
    make_spec,
    spec_of,
)
from tests.doubles.hostile_bodies import HOSTILE_TITLES
from tests.doubles.source_server import SourceServer

DAY = date(2025, 7, 28)
OFFLINE = spec_of("feed", name="blog", max_items=1000)


def test_openai_capped_to_the_newest(server: SourceServer, client: httpx.Client) -> None:
    items = collect(
        client, make_spec(server, "feed", OPENAI, name="openai-news", max_items=20), DAY
    )
    assert len(items) == 20
    assert items[0].title == "Resolving digital threats 100x faster with OpenAI"
    assert items[0].url == "https://openai.com/index/outtake"
    assert items[0].id == url_item_id("https://openai.com/index/outtake")
    assert items[0].published == datetime(2025, 7, 24, tzinfo=UTC)
    everything = parse_saved(OFFLINE, demo_bytes("openai_news_rss_2025-07-28.xml"))
    assert len(everything) == 599
    kept = {i.id for i in items}
    oldest_kept = min(i.published for i in items if i.published)
    assert all(i.published and i.published <= oldest_kept for i in everything if i.id not in kept)


def test_window_keeps_only_items_published_in_it(
    server: SourceServer, client: httpx.Client
) -> None:
    window = (datetime(2025, 7, 22, tzinfo=UTC), datetime(2025, 7, 24, tzinfo=UTC))
    items = collect(client, make_spec(server, "feed", OPENAI), DAY, window)
    assert [i.title for i in items] == [
        "Announcing OpenAI DevDay 2025",
        "Model ML is helping financial firms rebuild with AI from the ground up",
        "Pioneering an AI clinical copilot with Penda Health",
        "OpenAI’s new economic analysis",  # the feed's trailing space is gone
        "Stargate advances with 4.5 GW partnership with Oracle",
    ]


def test_korean_atom_feed(server: SourceServer, client: httpx.Client) -> None:
    items = collect(client, make_spec(server, "feed", GEEKNEWS, lang="ko", max_items=50), DAY)
    assert len(items) == 50
    assert items[0].title == "AI 기업들이 광고업체에 데이터를 유출함 [pdf]"
    assert items[0].url == "https://news.hada.io/topic?id=34489"
    assert items[0].published == datetime(2026, 9, 29, 12, 32, 57, tzinfo=UTC)  # +09:00 in feed
    assert items[0].summary.startswith("대화형 AI 서비스 9개의 웹 클라이언트와 8개의 Android 앱을")
    assert sum(bool(re.search("[가-힣]", i.title)) for i in items) == 48
    assert "Regression Testing: Techniques, Tools & Best Practices" in [i.title for i in items]
    assert not any("<" in i.summary or "&amp;" in i.summary for i in items)


def test_google_description_not_media_description(
    server: SourceServer, client: httpx.Client
) -> None:
    items = collect(client, make_spec(server, "feed", GOOGLE), DAY)
    assert len(items) == 20 and items[0].authors == ("Austin Wu",)
    assert items[0].summary.startswith("We’re launching Web Guide, a Search Labs experiment")
    assert not any("<img" in i.summary for i in items)


def test_hn_front_page_rss(server: SourceServer, client: httpx.Client) -> None:
    items = collect(client, make_spec(server, "feed", HN_RSS), DAY)
    assert len(items) == 30 and items[0].title.startswith("Cloudflare flags archive.today")


def test_injected_markup_keeps_text_and_drops_scripts(
    server: SourceServer, client: httpx.Client
) -> None:
    server.set_fault("/feeds/", "inject")
    [item] = collect(client, make_spec(server, "feed", OPENAI), DAY)
    assert item.title == "Launch <!channel> @everyone notes"
    assert item.summary == "Hello @everyone <!channel> & all bold"


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("malformed", "openai-news: the feed is malformed XML with no entries"),
        ("html", "openai-news: got an HTML page instead of a feed"),
        (
            "status:500",
            "openai-news: 127.0.0.1:[0-9]+/feeds/openai_news_rss_2025-07-28.xml: HTTP 500",
        ),
    ],
)
def test_bad_feeds(server: SourceServer, client: httpx.Client, fault: str, message: str) -> None:
    server.set_fault("/feeds/", fault)
    with pytest.raises(SourceError, match=f"^{message}"):
        collect(client, make_spec(server, "feed", OPENAI, name="openai-news"), DAY)


def test_a_valid_empty_feed_is_no_items(server: SourceServer, client: httpx.Client) -> None:
    server.set_fault("/feeds/", "empty")
    assert collect(client, make_spec(server, "feed", OPENAI), DAY) == []


def test_not_a_feed_at_all() -> None:
    with pytest.raises(SourceError, match="blog: the feed is malformed XML"):
        parse(b'{"items": []}', OFFLINE)
    with pytest.raises(SourceError, match="blog: the response is not an RSS or Atom feed"):
        parse(b"<?xml version='1.0'?><catalog><book/></catalog>", OFFLINE)


def test_long_title_and_summary_are_clipped() -> None:
    doc = (
        '<rss version="2.0"><channel><title>t</title><item>'
        f"<title>{'word ' * 200}</title><link>https://e.com/a</link>"
        f"<description>{html.escape('<p>' + 'text ' * 1000 + '</p>')}</description>"
        "</item></channel></rss>"
    ).encode()
    [item] = parse(doc, OFFLINE)
    assert len(item.title) == 300 and item.title.endswith("…")
    assert len(item.summary) == MAX_SUMMARY and item.summary.endswith("…")


def test_html_to_text() -> None:
    fragment = (
        "<style>p { color: red }</style><p>Fish&nbsp;&amp;&#32;chips</p>"
        "<script type='x'>var a = '<p>';</script><ul><li>one</li><li>two</li></ul> 1 < 2"
    )
    assert html_to_text(fragment) == "Fish & chips one two 1 < 2"


@given(st.text())
def test_escaped_text_comes_back_as_itself(text: str) -> None:
    assert html_to_text(html.escape(text)) == collapse(text)


FULL_POST = (
    "<p>OpenAI released a new <b>reasoning model</b> today.</p>"
    "<script>track()</script><figure><img src='x.png'></figure>"
    "<p>It beats the previous model on math and code benchmarks, and is available in the API.</p>"
)


def test_rss_content_encoded_is_the_item_text() -> None:
    doc = (
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>t</title><item><title>New model</title><link>https://e.com/post</link>"
        "<description>A short teaser.</description>"
        f"<content:encoded><![CDATA[{FULL_POST}]]></content:encoded>"
        "</item></channel></rss>"
    ).encode()
    [item] = parse(doc, OFFLINE)
    assert item.summary == (
        "OpenAI released a new reasoning model today. It beats the previous model on math and "
        "code benchmarks, and is available in the API."
    )


def test_atom_content_wins_over_its_summary_and_a_summary_alone_still_serves() -> None:
    entry = (
        "<entry><title>{t}</title><link href='https://e.com/{t}'/><id>urn:{t}</id>"
        "<updated>2025-07-28T10:00:00Z</updated>{body}</entry>"
    )
    doc = (
        "<feed xmlns='http://www.w3.org/2005/Atom'><title>f</title><id>urn:f</id>"
        "<updated>2025-07-28T10:00:00Z</updated>"
        + entry.format(
            t="both",
            body="<summary>Teaser.</summary>"
            f"<content type='html'>{html.escape(FULL_POST)}</content>",
        )
        + entry.format(t="summary", body="<summary>Only a summary here.</summary>")
        + "</feed>"
    ).encode()
    items = {i.title: i.summary for i in parse(doc, OFFLINE)}
    assert items["both"].startswith("OpenAI released a new reasoning model today. It beats")
    assert "track()" not in items["both"] and "<" not in items["both"]
    assert items["summary"] == "Only a summary here."


def test_a_link_with_a_newline_or_control_character_is_refused_at_ingestion(
    server: SourceServer, client: httpx.Client
) -> None:
    server.set_fault("/feeds/", "hostile-titles")
    items = collect(client, make_spec(server, "feed", OPENAI, max_items=100), DAY)
    assert len(items) == len(HOSTILE_TITLES)  # the item whose link has a newline is gone
    assert not any(ch in i.url for i in items for ch in "\n\r\t ")
    titles = [i.title for i in items]
    assert "Line one # line two heading about AI" in titles  # one line
    assert "Bidi txt.exe and DEL control" in titles  # no bidi override, no DEL
    assert "<img src=x onerror=alert(1)> launches a model" in titles  # text, escaped later


def test_titles_and_text_lose_control_and_bidi_override_characters() -> None:
    assert collapse("a\x00b\u202ec\x1bd\x85e \ufeff f\u200dg") == "abcd e f\u200dg"  # NEL: space
