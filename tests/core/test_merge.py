"""Dedup and ranking across sources."""

from datetime import UTC, datetime, timedelta

from core.items import Item, arxiv_item_id, url_item_id
from core.merge import dedup, hot_score, merge
from core.urls import canonical_url

NOW = datetime(2024, 10, 4, 22, tzinfo=UTC)


def paper(aid: str, title: str, source: str = "arxiv", **kw: object) -> Item:
    return Item(
        id=arxiv_item_id(aid),
        kind="papers",
        title=title,
        arxiv_id=aid,
        url=f"https://arxiv.org/abs/{aid}",
        source=source,
        **kw,  # type: ignore[arg-type]
    )


def story(url: str, title: str, source: str, **kw: object) -> Item:
    return Item(
        id=url_item_id(canonical_url(url)), kind="news", title=title, url=url, source=source, **kw
    )  # type: ignore[arg-type]


def test_hf_paper_and_its_arxiv_entry_are_one_item() -> None:
    a = paper(
        "2410.02740",
        "Revisit Large-Scale Image-Caption Data",
        summary="long abstract " * 20,
        arxiv_categories=("cs.CV", "cs.AI"),
    )
    h = paper(
        "2410.02740", "Revisit Large-Scale Image-Caption Data", source="hf-daily-papers", upvotes=52
    )
    (one,) = dedup([h, a])
    assert one.source == "arxiv"  # the richer record survives
    assert one.upvotes == 52 and one.also_in == ("hf-daily-papers",)
    assert one.arxiv_categories == ("cs.CV", "cs.AI")


def test_tracking_parameters_do_not_split_a_story() -> None:
    a = story("https://www.example.com/a/b/?utm_source=rss&utm_medium=x&id=7", "A launch", "feed1")
    b = story("http://example.com/a/b?id=7&fbclid=abc#top", "A launch", "feed2", points=120)
    merged = dedup([a, b])
    assert len(merged) == 1 and merged[0].points == 120


def test_canonical_url() -> None:
    assert canonical_url("http://WWW.Example.com/x/?b=2&a=1&utm_campaign=z#frag") == (
        "https://example.com/x?a=1&b=2"
    )
    assert canonical_url("https://arxiv.org/pdf/2410.01201v2") == "https://arxiv.org/abs/2410.01201"


def test_near_duplicate_titles_are_one_story_but_different_ones_are_not() -> None:
    a = story("https://a.com/1", "OpenAI launches Canvas, a new way to write and code", "s1")
    b = story("https://b.com/2", "OpenAI launches Canvas: a new way to write and code!", "s2")
    c = story("https://c.com/3", "OpenAI launches a new way to pay for API credits", "s3")
    merged = dedup([a, b, c])
    assert [m.url for m in merged] == ["https://a.com/1", "https://c.com/3"]


def test_same_link_in_news_and_papers_stays_in_both_kinds() -> None:
    p = paper("2410.01201", "Were RNNs All We Needed?")
    n = story("https://arxiv.org/abs/2410.01201", "Were RNNs All We Needed?", "hackernews")
    assert len(dedup([p, n])) == 2


def test_hot_score_prefers_votes_and_freshness() -> None:
    old = story("https://a.com/1", "Old story", "s", published=NOW - timedelta(days=5))
    fresh = story("https://a.com/2", "Fresh story", "s", published=NOW - timedelta(hours=1))
    voted = story(
        "https://a.com/3", "Voted story", "s", points=300, published=NOW - timedelta(days=5)
    )
    assert hot_score(fresh, NOW) > hot_score(old, NOW)
    assert hot_score(voted, NOW) > hot_score(fresh, NOW)
    assert [i.title for i in merge([old, fresh, voted], NOW)] == [
        "Voted story",
        "Fresh story",
        "Old story",
    ]
