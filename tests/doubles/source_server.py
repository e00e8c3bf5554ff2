"""A real local HTTP server standing in for arXiv, HF Daily Papers, RSS/Atom feeds and HN Algolia.

It serves the saved real data (core/data/demo, tests/fixtures) the way the live services do:

  GET /arxiv/api/query?search_query=&start=&max_results=   Atom over the saved arXiv days
  GET /hf/api/daily_papers?date=YYYY-MM-DD                  the saved day, [] for other dates
  GET /feeds/<saved file name>                              byte for byte
  GET /hn/api/v1/search_by_date?query=&tags=&numericFilters=&hitsPerPage=&page=

Faults are set per path prefix, in tests with `server.set_fault("/feeds/", "status:500")`, in a
process with `POST /_faults {"prefix": "/feeds/", "fault": "status:500"}` (fault null clears):
hang[:s], slow[:s] (answers, s seconds late), status:NNN, NNN-then-ok[:n] (e.g. 429-then-ok: n
answers 429 Retry-After: 1), malformed, empty, html, oversized[:MB], inject, and the hostile ones
of tests/doubles/hostile_bodies.py (drip, gzip-bomb, huge-atom, redirect:URL, redirects:n,
hostile-titles, pages; GET /pages/<id> serves the linked article pages). `GET /_counts` and
`server.count(prefix)` tell how many requests each path got; `POST /_reset` clears faults and
counts.

Dates, for a system test that plays any day (the saved data are a few fixed days): in tests
`server.set_clock(news_at=…, papers_lag=N)`, in a process `POST /_clock {"news_at": ISO 8601 or
null, "papers_lag": N}` (or `--news-at`, `--papers-lag`). With `news_at`, every feed and the HN
stories are served shifted in time so that each one's newest item is dated `news_at` (spacing
kept; a feed's lastBuildDate moves too), and they are that day's items: each link carries
`day=<news_at's date>`, as a feed has new posts every day (a digest takes an item once). With
`papers_lag` N, arXiv and HF answer a request for day X with the saved day X - N, moved N days
later, each paper under an id of its own for N (`relabel`): papers released that day, not the
saved ones again. `POST /_reset` leaves these as they are.

Run as a process: python -m tests.doubles.source_server --port 8765
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import sys
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler
from importlib import resources
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

from tests.doubles import hostile_bodies as hostile
from tests.doubles.stand_in import OwnedServer, StandIn

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HF_LATEST = "hf_daily_papers_latest-limit30_captured-2026-08-02.json"
INJECTED_TITLE = "Launch <!channel> @everyone <script>alert(1)</script> notes"
INJECTED_TEXT = "<p>Hello @everyone <!channel> &amp; all</p><script>alert(1)</script><b>bold</b>"
HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Just a moment...</title></head>"
    b"<body><h1>Checking your browser</h1><script>var x = 1;</script></body></html>\n"
)
_TYPES = {
    "arxiv": "application/atom+xml; charset=utf-8",
    "hf": "application/json",
    "hn": "application/json; charset=utf-8",
    "feed": "application/rss+xml; charset=utf-8",
}
_NUMERIC = re.compile(r"^(created_at_i|points|num_comments)(>=|<=|>|<|=)(-?\d+)$")
# Item dates in RSS (pubDate, dc:date) and Atom (published, updated); lastBuildDate is the feed's.
_FEED_DATE = re.compile(rb"<(pubDate|published|updated|dc:date|lastBuildDate)>([^<]+)</\1>")


def _demo(name: str) -> bytes:
    return resources.files("core.data").joinpath("demo", name).read_bytes()


def _demo_names() -> list[str]:
    return sorted(p.name for p in resources.files("core.data").joinpath("demo").iterdir())


def _load_papers() -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for name in _demo_names():
        if name.startswith("arxiv_") and name.endswith(".jsonl"):
            for line in _demo(name).decode("utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    rows[row["id"]] = row
    return sorted(rows.values(), key=lambda r: (r["published"], r["id"]))


def _load_stories() -> list[dict[str, Any]]:
    """Algolia-shaped hits from the saved HN front-page RSS. The RSS has title, link, pubDate
    and the comments link (whose id is the objectID); it has no points, comment count or
    author, so those are derived from the objectID, deterministically, and are made up."""
    root = ET.fromstring(_demo("hackernews_frontpage_rss_2026-03-22.xml"))
    hits = []
    for item in root.iter("item"):
        object_id = (item.findtext("comments") or "").rsplit("=", 1)[-1]
        when = parsedate_to_datetime(item.findtext("pubDate") or "").astimezone(UTC)
        n = int(object_id)
        points = 10 + n % 491  # 10..500: some stories fall under a min_points of 50
        hits.append(
            {
                "created_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "created_at_i": int(when.timestamp()),
                "title": item.findtext("title") or "",
                "url": item.findtext("link") or "",
                "author": f"user{n % 1000}",
                "points": points,
                "num_comments": points // 3,
                "story_text": None,
                "objectID": object_id,
                "_tags": ["story", f"story_{object_id}"],
            }
        )
    return sorted(hits, key=lambda h: h["created_at_i"], reverse=True)


def _atom(entries: list[dict[str, Any]], total: int, start: int, query: str) -> bytes:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"'
        ' xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"'
        ' xmlns:arxiv="http://arxiv.org/schemas/atom">',
        f"<id>https://arxiv.org/api/stand-in</id><title>arXiv Query: {escape(query)}</title>",
        f"<updated>{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}</updated>",
        f"<opensearch:itemsPerPage>{len(entries)}</opensearch:itemsPerPage>",
        f"<opensearch:totalResults>{total}</opensearch:totalResults>",
        f"<opensearch:startIndex>{start}</opensearch:startIndex>",
    ]
    for p in entries:
        term = ' scheme="http://arxiv.org/schemas/atom"/>'
        out += [
            f"<entry><id>http://arxiv.org/abs/{p['id']}v1</id>",
            f"<updated>{p['published']}</updated><published>{p['published']}</published>",
            f"<title>{escape(p['title'])}</title><summary>{escape(p['abstract'])}</summary>",
            *(f"<author><name>{escape(a)}</name></author>" for a in p["authors"]),
            f'<link href="http://arxiv.org/abs/{p["id"]}v1" rel="alternate" type="text/html"/>',
            f"<arxiv:primary_category term={quoteattr(p['categories'][0])}{term}",
            *(f"<category term={quoteattr(c)}{term}" for c in p["categories"]),
            "</entry>",
        ]
    return ("\n".join([*out, "</feed>"]) + "\n").encode("utf-8")


def _feed_date(raw: bytes) -> datetime | None:
    text = raw.decode("utf-8", "replace").strip()
    try:
        if text[:4].isdigit():  # Atom / dc:date: ISO 8601
            return datetime.fromisoformat(text.replace("Z", "+00:00"))
        return parsedate_to_datetime(text)
    except (ValueError, TypeError):
        return None


def shift_feed(body: bytes, newest: datetime) -> bytes:
    """The feed with every date moved by one offset, so that its newest item is `newest`."""
    dated = [(m, _feed_date(m.group(2))) for m in _FEED_DATE.finditer(body)]
    items = [d for m, d in dated if d is not None and m.group(1) != b"lastBuildDate"]
    if not items:
        return body
    delta = newest - max(items)

    def moved(m: re.Match[bytes]) -> bytes:
        when = _feed_date(m.group(2))
        if when is None:
            return m.group(0)
        text = m.group(2).decode("utf-8", "replace").strip()
        new = when + delta
        out = new.isoformat() if text[:4].isdigit() else format_datetime(new)
        return b"<%s>%s</%s>" % (m.group(1), out.encode(), m.group(1))

    return _FEED_DATE.sub(moved, body)


@dataclass
class Fault:
    kind: str
    arg: str = ""
    served: int = 0  # requests this fault has answered (for NNN-then-ok)


class _Handler(BaseHTTPRequestHandler):
    server: OwnedServer[SourceServer]

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read counts instead
        pass

    def _send(
        self, status: int, ctype: str, body: bytes, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client stopped reading (e.g. over its size cap)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        owner = self.server.owner
        if parts.path == "/_counts":
            return self._send(200, "application/json", json.dumps(owner.counts()).encode())
        if parts.path == "/_health":
            return self._send(200, "text/plain", b"ok\n")
        kind = parts.path.split("/")[1] if parts.path.count("/") > 1 else ""
        kind = {"feeds": "feed"}.get(kind, kind)
        fault = owner._take(parts.path, self.headers.get("User-Agent", ""))
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        if fault and (self._fault(fault, kind) or self._hostile(fault, parts.query)):
            return
        status, ctype, body = owner.route(parts.path, query, kind)
        if fault and status == 200:
            body = owner.alter(fault.kind, kind, body)
        self._send(status, ctype, body)

    def _fault(self, fault: Fault, kind: str) -> bool:
        """Answer the request with the fault, or False to let the route answer (maybe altered)."""
        if fault.kind == "hang":
            self.server.owner.stopping.wait(float(fault.arg or 30))
            self.close_connection = True
        elif fault.kind == "slow":  # late, then the route answers as usual
            self.server.owner.stopping.wait(float(fault.arg or 5))
            return False
        elif fault.kind == "status":
            self._send(int(fault.arg or 500), "text/plain", b"stand-in error\n")
        elif fault.kind.endswith("-then-ok"):
            if fault.served > int(fault.arg or 1):
                return False
            self._send(int(fault.kind[:3]), "text/plain", b"slow down\n", {"Retry-After": "1"})
        elif fault.kind == "html":
            self._send(200, "text/html; charset=utf-8", HTML_PAGE)
        elif fault.kind == "oversized":
            self._oversized(int(float(fault.arg or 40) * 1_000_000), _TYPES.get(kind, "text/plain"))
        else:
            return False
        return True

    def _hostile(self, fault: Fault, query: str) -> bool:
        """Answer with a hostile fault (hostile_bodies.py), or False to let the route answer."""
        arg = fault.arg
        if fault.kind == "drip":
            hostile.send_drip(self, float(arg or 2), self.server.owner.stopping)
        elif fault.kind == "gzip-bomb":
            body = hostile.gzip_bomb(int(arg)) if arg else hostile.gzip_bomb()
            self._send(200, _TYPES["feed"], body, {"Content-Encoding": "gzip"})
        elif fault.kind == "huge-atom":
            body = hostile.huge_atom(int(arg)) if arg else hostile.huge_atom()
            self._send(200, "application/atom+xml; charset=utf-8", body)
        elif fault.kind == "redirect":
            self._send(302, "text/plain", b"moved\n", {"Location": arg})
        elif fault.kind == "redirects":
            hop = int(parse_qs(query).get("hop", ["0"])[-1])
            if hop >= int(arg or 1):
                return False
            path = urlsplit(self.path).path
            self._send(302, "text/plain", b"moved\n", {"Location": f"{path}?hop={hop + 1}"})
        elif fault.kind == "hostile-titles":
            when = self.server.owner.clock()["news_at"]
            body = hostile.hostile_titles_feed(datetime.fromisoformat(when) if when else None)
            self._send(200, _TYPES["feed"], body)
        else:
            return False
        return True

    def _oversized(self, size: int, ctype: str) -> None:
        # No Content-Length, streamed: the client can only find out by counting.
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.end_headers()
        chunk = b"<!-- padding -->" * 4096  # 64 KiB
        try:
            for _ in range(size // len(chunk) + 1):
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading, as it should
        self.close_connection = True

    def do_POST(self) -> None:
        owner = self.server.owner
        path = urlsplit(self.path).path
        length = int(self.headers.get("Content-Length") or 0)
        try:
            data = json.loads(self.rfile.read(length) or b"{}")
            if path == "/_faults":
                owner.set_fault(str(data["prefix"]), data.get("fault"))
            elif path == "/_reset":
                owner.reset()
            elif path == "/_clock":
                at = data.get("news_at")
                owner.set_clock(
                    datetime.fromisoformat(at) if at else None, data.get("papers_lag", 0)
                )
            else:
                return self._send(404, "text/plain", b"no such control\n")
        except (ValueError, KeyError, TypeError) as e:
            return self._send(400, "text/plain", f"bad control request: {e}\n".encode())
        state = {"faults": owner.faults(), "clock": owner.clock()}
        self._send(200, "application/json", json.dumps(state).encode())


class SourceServer(StandIn):
    """The stand-in. `with SourceServer() as s:` serves on a free port until the block ends."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._lock = threading.Lock()
        self._faults: dict[str, Fault] = {}
        self._counts: Counter[str] = Counter()
        self._agents: dict[str, str] = {}
        self._papers = _load_papers()
        self._stories = _load_stories()
        self._feeds = {n for n in _demo_names() if n.endswith(".xml")}
        self._news_at: datetime | None = None  # see set_clock
        self._papers_lag = 0
        super().__init__(_Handler, host, port)

    # faults and counts
    def set_fault(self, prefix: str, fault: str | None) -> None:
        """Set (or with None clear) the fault for paths starting with `prefix`."""
        with self._lock:
            if fault is None:
                self._faults.pop(prefix, None)
                return
            kind, _, arg = fault.partition(":")
            known = {"hang", "slow", "status", "malformed", "empty", "html", "oversized", "inject"}
            known |= hostile.FAULTS
            if kind not in known and not re.fullmatch(r"[45]\d\d-then-ok", kind):
                raise ValueError(f"unknown fault {fault!r}")
            self._faults[prefix] = Fault(kind, arg)

    def set_clock(self, news_at: datetime | None = None, papers_lag: int = 0) -> None:
        """Serve news as if their newest item were published at `news_at` (None: as saved),
        and the saved papers of day X - `papers_lag` for day X."""
        if news_at is not None and news_at.tzinfo is None:
            raise ValueError("news_at must carry a time zone")
        with self._lock:
            self._news_at, self._papers_lag = news_at, int(papers_lag)

    def clock(self) -> dict[str, Any]:
        with self._lock:
            at = self._news_at.isoformat() if self._news_at else None
            return {"news_at": at, "papers_lag": self._papers_lag}

    def faults(self) -> dict[str, str]:
        with self._lock:
            return {p: f"{f.kind}:{f.arg}".rstrip(":") for p, f in self._faults.items()}

    def reset(self) -> None:
        with self._lock:
            self._faults.clear()
            self._counts.clear()

    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def count(self, prefix: str) -> int:
        """Requests so far to paths starting with `prefix`."""
        with self._lock:
            return sum(n for p, n in self._counts.items() if p.startswith(prefix))

    def user_agent(self, path: str) -> str | None:
        """The User-Agent of the latest request to `path`."""
        with self._lock:
            return self._agents.get(path)

    def _take(self, path: str, agent: str) -> Fault | None:
        with self._lock:
            self._counts[path] += 1
            self._agents[path] = agent
            prefixes = [p for p in self._faults if path.startswith(p)]
            if not prefixes:
                return None
            fault = self._faults[max(prefixes, key=len)]
            fault.served += 1
            return fault

    # routes
    def route(self, path: str, q: dict[str, str], kind: str) -> tuple[int, str, bytes]:
        try:
            if path == "/arxiv/api/query":
                return 200, _TYPES["arxiv"], self._arxiv(q)
            if path == "/hf/api/daily_papers":
                return self._hf(q)
            if kind == "feed" and path.removeprefix("/feeds/") in self._feeds:
                name = path.removeprefix("/feeds/")
                atom = "atom" in name
                ctype = "application/atom+xml; charset=utf-8" if atom else _TYPES["feed"]
                news_at = self._news_at
                body = _demo(name)
                if news_at is None:
                    return 200, ctype, body
                return 200, ctype, tag_links(shift_feed(body, news_at), news_at.date().isoformat())
            if path == "/hn/api/v1/search_by_date":
                return 200, _TYPES["hn"], self._hn(q)
            if path.startswith("/pages/"):
                return self._page(path.removeprefix("/pages/"))
        except ValueError as e:
            return 400, "application/json", json.dumps({"error": str(e)}).encode()
        return 404, "text/plain", b"not found\n"

    def _arxiv(self, q: dict[str, str]) -> bytes:
        search = q.get("search_query", "")
        cats = set(re.findall(r"cat:([\w.\-]+)", search))
        rng = re.search(r"submittedDate:\[(\d{8,12})\s*TO\s*(\d{8,12})\]", search)
        lo, hi = (rng.group(1).ljust(12, "0"), rng.group(2).ljust(12, "9")) if rng else ("", "~")
        if rng and self._papers_lag:  # the saved days, papers_lag days earlier
            lo, hi = (_days_before(x, self._papers_lag) for x in (lo, hi))
        hits = [
            p
            for p in self._papers
            if (not cats or cats & set(p["categories"]))
            and lo <= re.sub(r"\D", "", p["published"])[:12] <= hi
        ]
        if self._papers_lag:
            hits = [_later(p, self._papers_lag) for p in hits]
        if q.get("sortOrder", "descending") == "descending":
            hits.reverse()
        start, size = int(q.get("start", 0)), min(int(q.get("max_results", 10)), 2000)
        return _atom(hits[start : start + size], len(hits), start, search)

    def _hf(self, q: dict[str, str]) -> tuple[int, str, bytes]:
        day = q.get("date")
        if day is None:  # no date: the newest list, in the newer schema
            return 200, _TYPES["hf"], (FIXTURES / HF_LATEST).read_bytes()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            raise ValueError('"date" must be YYYY-MM-DD')
        if self._papers_lag:
            day = (
                (datetime.fromisoformat(day) - timedelta(days=self._papers_lag)).date().isoformat()
            )
        name = f"hf_daily_papers_{day}.json"
        body = _demo(name) if name in _demo_names() else b"[]"  # HF: [] for a day with none
        if self._papers_lag and body != b"[]":
            listed = json.loads(body)
            for entry in listed:
                entry["paper"]["id"] = relabel(entry["paper"]["id"], self._papers_lag)
            body = json.dumps(listed).encode()
        return 200, _TYPES["hf"], body

    def _page(self, object_id: str) -> tuple[int, str, bytes]:
        """The article an HN story links to (a made-up page: only titles are saved)."""
        story = next((h for h in self._stories if h["objectID"] == object_id), None)
        if story is None:
            return 404, "text/plain", b"not found\n"
        text = f"What the article behind \u201c{story['title']}\u201d says, in its own words."
        return 200, "text/html; charset=utf-8", hostile.linked_page(story["title"], text)

    def _hn(self, q: dict[str, str]) -> bytes:
        words = q.get("query", "").lower().split()  # Algolia: every word must match
        tests = [
            _NUMERIC.match(f.strip()) for f in q.get("numericFilters", "").split(",") if f.strip()
        ]
        if not all(tests):
            raise ValueError("invalid numericFilters")
        ops = {
            ">=": int.__ge__,
            "<=": int.__le__,
            ">": int.__gt__,
            "<": int.__lt__,
            "=": int.__eq__,
        }
        stories = self._stories
        if self._news_at is not None:  # newest story at news_at, spacing kept
            delta = int(self._news_at.timestamp()) - max(h["created_at_i"] for h in stories)
            day = self._news_at.date().isoformat()
            stories = [_moved_story(h, delta, day) for h in stories]
        hits = [
            h
            for h in stories
            if q.get("tags", "story") == "story"
            and all(w in f"{h['title']} {h['url']}".lower() for w in words)
            and all(ops[m.group(2)](h[m.group(1)], int(m.group(3))) for m in tests if m)
        ]
        per, page = min(int(q.get("hitsPerPage", 20)), 1000), int(q.get("page", 0))
        return json.dumps(
            {
                "hits": hits[page * per : (page + 1) * per],
                "nbHits": len(hits),
                "page": page,
                "nbPages": -(-len(hits) // per) if per else 0,
                "hitsPerPage": per,
                "exhaustiveNbHits": True,
                "query": q.get("query", ""),
                "params": "",
            }
        ).encode()

    def alter(self, fault: str, kind: str, body: bytes) -> bytes:
        """The route's body, damaged (malformed), emptied (empty) or replaced (inject)."""
        if fault == "malformed":  # cut inside the first entry: no complete item survives
            marks = [i for i in (body.find(b"<item"), body.find(b"<entry")) if i >= 0]
            return body[: min(marks) + 40] if marks else body[: max(1, len(body) // 2)]
        if fault == "empty":
            return {
                "arxiv": _atom([], 0, 0, ""),
                "hf": b"[]",
                "feed": hostile.rss([]),
                "hn": json.dumps({"hits": [], "nbHits": 0, "page": 0}).encode(),
            }[kind]
        if fault == "inject":
            return self._injected(kind)
        if fault == "pages" and kind == "hn":  # every story links to its page on the stand-in
            doc = json.loads(body)
            for hit in doc["hits"]:
                hit["url"] = f"{self.url}/pages/{hit['objectID']}"
            return json.dumps(doc).encode()
        return body

    def _injected(self, kind: str) -> bytes:
        if kind == "feed":
            return hostile.rss([(INJECTED_TITLE, "https://example.com/injected", INJECTED_TEXT)])
        if kind == "arxiv":
            paper = {
                "id": "2410.99999",
                "title": INJECTED_TITLE,
                "abstract": INJECTED_TEXT,
                "authors": ["@everyone"],
                "categories": ["cs.AI"],
                "published": "2024-10-04T12:00:00Z",
            }
            return _atom([paper], 1, 0, "")
        if kind == "hf":
            listed: dict[str, Any] = {
                "id": "2410.99999",
                "title": INJECTED_TITLE,
                "summary": INJECTED_TEXT,
                "upvotes": 7,
                "authors": [{"name": "<!channel>"}],
                "publishedAt": "2024-10-04T12:00:00.000Z",
            }
            return json.dumps([{"paper": listed, "numComments": 2}]).encode()
        hit = dict(
            self._stories[0], title=INJECTED_TITLE, story_text=INJECTED_TEXT, url=None, points=999
        )
        return json.dumps({"hits": [hit], "nbHits": 1, "page": 0}).encode()


def _days_before(stamp: str, days: int) -> str:
    """A YYYYMMDDHHMM bound of arXiv's submittedDate range, `days` earlier."""
    when = datetime.strptime(stamp[:8], "%Y%m%d") - timedelta(days=days)
    return when.strftime("%Y%m%d") + stamp[8:]


def _moved_story(hit: dict[str, Any], delta: int, day: str) -> dict[str, Any]:
    at = hit["created_at_i"] + delta
    when = datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    url = hit["url"] and f"{hit['url']}{'&' if '?' in hit['url'] else '?'}day={day}"
    return {**hit, "created_at_i": at, "created_at": when, "url": url}


_ITEM_LINK = re.compile(
    rb"(<link>\s*)(https?://[^<\s]+)(\s*</link>)|(<link\b[^>]*\bhref=)(['\"])(https?://[^'\"]+)\5"
)


def tag_links(body: bytes, day: str) -> bytes:
    """Every link of a feed with `day=<day>` added to its query (XML-escaped)."""

    def tagged(url: bytes) -> bytes:
        return url + (b"&amp;" if b"?" in url else b"?") + b"day=" + day.encode()

    def swap(m: re.Match[bytes]) -> bytes:
        if m.group(2) is not None:
            return m.group(1) + tagged(m.group(2)) + m.group(3)
        return m.group(4) + m.group(5) + tagged(m.group(6)) + m.group(5)

    return _ITEM_LINK.sub(swap, body)


def relabel(arxiv_id: str, lag: int) -> str:
    """The id of a saved paper served `lag` days later: another paper's (2410.01234 with lag 7
    is 2410.08234), so a digest does not take it for one it showed before."""
    head, _, number = arxiv_id.partition(".")
    return f"{head}.{(int(number) + 1000 * lag) % 100000:05d}" if number.isdigit() else arxiv_id


def _later(paper: dict[str, Any], lag: int) -> dict[str, Any]:
    when = datetime.fromisoformat(paper["published"].replace("Z", "+00:00")) + timedelta(days=lag)
    return {
        **paper,
        "id": relabel(paper["id"], lag),
        "published": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Stand-in for the aidigest sources.")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="0 picks a free port")
    ap.add_argument("--news-at", help="ISO 8601 instant: date the newest news item so")
    ap.add_argument("--papers-lag", type=int, default=0, help="serve day X's papers of X - N")
    args = ap.parse_args(argv)
    server = SourceServer(args.host, args.port)
    if args.news_at or args.papers_lag:
        at = datetime.fromisoformat(args.news_at) if args.news_at else None
        server.set_clock(at, args.papers_lag)

    def _stop(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, _stop)
    server.run("source_server")
    sys.exit(0)


if __name__ == "__main__":
    main()
