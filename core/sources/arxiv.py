"""arXiv: the export API (Atom) for one submission day, paged politely; and saved JSON Lines."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from functools import partial

import httpx

from core.items import Item, arxiv_item_id
from core.sources.feed import looks_like_html, plain_text
from core.sources.fetch import Fetch
from core.sources.http import Params, Sleep, SourceError, fetch_source
from core.sources.spec import SourceSpec
from core.sources.watch import Deadline

PAGE_PAUSE = 3.0  # arXiv asks API users for one request every three seconds
_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_VERSION = re.compile(r"v[0-9]+$")
ARXIV_ID = re.compile(r"[A-Za-z0-9.\-]+(/[0-9]+)?")  # 2410.03049, cs/0101001, math.GT/0309136


def query_params(spec: SourceSpec, day: date, start: int) -> dict[str, str | int]:
    stamp = day.strftime("%Y%m%d")
    dates = f"submittedDate:[{stamp}0000 TO {stamp}2359]"
    cats = " OR ".join(f"cat:{c}" for c in spec.categories)
    return {
        "search_query": f"({cats}) AND {dates}" if cats else dates,
        "sortBy": "submittedDate",
        "sortOrder": "descending",
        "start": start,
        "max_results": spec.page_size,
    }


def _paper(
    spec: SourceSpec,
    raw_id: str,
    title: str,
    abstract: str,
    authors: Iterable[str],
    categories: Iterable[str],
    published: str,
) -> Item:
    # "http://arxiv.org/abs/2410.03049v1" and "2410.03049" both mean 2410.03049
    arxiv_id = _VERSION.sub("", raw_id.strip().split("/abs/", 1)[-1])
    if not arxiv_id:
        raise SourceError(f"{spec.name}: an entry has no arXiv id")
    if not ARXIV_ID.fullmatch(arxiv_id):  # it becomes part of a URL: nothing else may ride along
        raise SourceError(f"{spec.name}: an entry has a malformed arXiv id {arxiv_id[:40]!r}")
    try:
        when = datetime.fromisoformat(published.strip()) if published.strip() else None
    except ValueError:
        when = None
    return Item(
        id=arxiv_item_id(arxiv_id),
        kind=spec.kind,
        title=plain_text(title),
        url=f"https://arxiv.org/abs/{arxiv_id}",
        source=spec.name,
        summary=plain_text(abstract),
        published=when,
        authors=tuple(a for a in (plain_text(a) for a in authors) if a),
        arxiv_categories=tuple(dict.fromkeys(c for c in categories if c)),  # primary first
        arxiv_id=arxiv_id,
    )


def _text(entry: ET.Element, tag: str) -> str:
    return entry.findtext(tag) or ""


def parse_page(data: bytes, spec: SourceSpec) -> tuple[list[Item], int]:
    """The papers of one API page and opensearch:totalResults (all pages' total)."""
    if looks_like_html(data):
        raise SourceError(f"{spec.name}: got an HTML page instead of an Atom feed")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise SourceError(f"{spec.name}: the API response is malformed XML ({e})") from e
    if root.tag != f"{_ATOM}feed":
        raise SourceError(f"{spec.name}: the API response is not an Atom feed")
    items: list[Item] = []
    for entry in root.iterfind(f"{_ATOM}entry"):
        raw_id = _text(entry, f"{_ATOM}id")
        if "/api/errors" in raw_id:  # arXiv reports a bad query as an entry
            why = plain_text(_text(entry, f"{_ATOM}summary"))[:200]
            raise SourceError(f"{spec.name}: the arXiv API refused the query: {why}")
        primary = entry.find(f"{_ARXIV}primary_category")
        cats = [primary.get("term", "")] if primary is not None else []
        cats += [c.get("term", "") for c in entry.iterfind(f"{_ATOM}category")]
        authors = [_text(a, f"{_ATOM}name") for a in entry.iterfind(f"{_ATOM}author")]
        items.append(
            _paper(
                spec,
                raw_id,
                _text(entry, f"{_ATOM}title"),
                _text(entry, f"{_ATOM}summary"),
                authors,
                cats,
                _text(entry, f"{_ATOM}published"),
            )
        )
    total = next((el.text for el in root if el.tag.endswith("}totalResults")), None)
    try:
        return items, int(total) if total is not None else len(items)
    except ValueError as e:
        raise SourceError(f"{spec.name}: totalResults is not a number ({total!r})") from e


def parse_jsonl(data: bytes, spec: SourceSpec) -> list[Item]:
    """Saved days (one JSON object a line: id, title, abstract, authors, categories, published)."""
    items: list[Item] = []
    for n, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            items.append(
                _paper(
                    spec,
                    str(row["id"]),
                    str(row.get("title", "")),
                    str(row.get("abstract", "")),
                    [str(a) for a in row.get("authors", [])],
                    [str(c) for c in row.get("categories", [])],
                    str(row.get("published") or ""),
                )
            )
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            raise SourceError(f"{spec.name}: line {n} is not a saved paper ({e})") from e
    return items


def pages(
    client: httpx.Client,
    spec: SourceSpec,
    params: Callable[[int], Params],
    *,
    sleep: Sleep,
    pause: float,
    deadline: Deadline,
    first: bool = True,
) -> Iterator[tuple[list[Item], int]]:
    """The API's pages of one query (`params(offset)`), each with totalResults, until a page is
    empty or the total is reached. Sleeps `pause` before every page but the first, and before
    the first too unless `first` (arXiv asks for three seconds between any two requests)."""
    offset = 0
    while True:
        if offset or not first:
            sleep(pause)
        data = fetch_source(client, spec, params=params(offset), sleep=sleep, deadline=deadline)
        page, total = parse_page(data, spec)
        yield page, total
        offset += len(page)
        if not page or offset >= total:
            return


def collect(fetch: Fetch) -> list[Item]:
    """Papers submitted on the fetch's day (UTC), newest first, up to spec.max_items; its window
    is unused (arXiv dates by submission day)."""
    spec = fetch.spec
    if spec.max_items < 1:
        return []
    items: dict[str, Item] = {}
    deadline = Deadline(spec.deadline)  # for every page together
    params = partial(query_params, spec, fetch.day)
    for page, _ in pages(
        fetch.client, spec, params, sleep=fetch.sleep, pause=PAGE_PAUSE, deadline=deadline
    ):
        for item in page:
            items.setdefault(item.id, item)
        if len(items) >= spec.max_items:
            break
    return list(items.values())[: spec.max_items]
