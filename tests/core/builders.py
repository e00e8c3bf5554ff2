"""Items for tests that build their own: a paper or a story with what the test does not care
about filled in (the kind, the usual source, and a URL made from the id)."""

from __future__ import annotations

from typing import Any

from core.items import Item


def paper(id: str, title: str, source: str = "arxiv", url: str = "", **fields: Any) -> Item:
    """A paper, at https://e.org/<id> unless `url` is given."""
    url = url or f"https://e.org/{id}"
    return Item(id=id, kind="papers", title=title, url=url, source=source, **fields)


def story(id: str, title: str, source: str = "hackernews", url: str = "", **fields: Any) -> Item:
    """A news story, at https://e.org/<id> unless `url` is given."""
    url = url or f"https://e.org/{id}"
    return Item(id=id, kind="news", title=title, url=url, source=source, **fields)
