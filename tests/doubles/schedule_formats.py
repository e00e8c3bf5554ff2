"""The formats the schedule stand-in answers in: arXiv's Atom, HF's JSON, RSS 2.0."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from tests.doubles.schedule_world import Listed, Paper, Post, rfc822

_ISO = "%Y-%m-%dT%H:%M:%SZ"
_TERM = ' scheme="http://arxiv.org/schemas/atom"/>'


def atom_error(message: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"'
        ' xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
        "<opensearch:totalResults>1</opensearch:totalResults>"
        "<entry><id>http://arxiv.org/api/errors#incorrect_query</id><title>Error</title>"
        f"<summary>{escape(message)}</summary></entry></feed>\n"
    ).encode()


def atom_entry(p: Paper, now: datetime) -> str:
    version = p.version(now)
    updated = p.replaced if version == 2 and p.replaced else p.submitted
    return "\n".join(
        [
            f"<entry><id>http://arxiv.org/abs/{p.id}v{version}</id>",
            f"<updated>{updated:{_ISO}}</updated><published>{p.submitted:{_ISO}}</published>",
            f"<title>{escape(p.title)}</title><summary>{escape(p.abstract)}</summary>",
            *(f"<author><name>{escape(a)}</name></author>" for a in p.authors),
            f"<arxiv:primary_category term={quoteattr(p.categories[0])}{_TERM}",
            *(f"<category term={quoteattr(c)}{_TERM}" for c in p.categories),
            "</entry>",
        ]
    )


def atom_feed(search: str, total: int, start: int, entries: list[str]) -> bytes:
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"'
        ' xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"'
        ' xmlns:arxiv="http://arxiv.org/schemas/atom">',
        f"<title>arXiv Query: {escape(search)}</title>",
        f"<opensearch:totalResults>{total}</opensearch:totalResults>",
        f"<opensearch:startIndex>{start}</opensearch:startIndex>",
        f"<opensearch:itemsPerPage>{len(entries)}</opensearch:itemsPerPage>",
    ]
    return ("\n".join([*head, *entries, "</feed>"]) + "\n").encode("utf-8")


def hf_entry(e: Listed) -> dict[str, Any]:
    paper = {
        "id": e.id,
        "authors": [{"name": a} for a in e.authors],
        "publishedAt": e.published.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "title": e.title,
        "summary": e.summary,
        "upvotes": e.upvotes,
    }
    return {
        "paper": paper,
        "publishedAt": e.at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "numComments": 0,
    }


def rss(posts: list[Post], now: datetime) -> bytes:
    """Newest first."""
    items = "".join(
        f"<item><title>{escape(p.title)}</title><link>{escape(p.link)}</link>"
        f"<guid>{escape(p.link)}</guid><description>{escape(p.description)}</description>"
        f"<pubDate>{rfc822(p.dated)}</pubDate></item>"
        for p in posts
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        "<title>OpenAI News</title><link>https://openai.com/news</link>"
        f"<description>stand-in</description><lastBuildDate>{rfc822(now)}</lastBuildDate>"
        f"{items}</channel></rss>\n"
    ).encode()
