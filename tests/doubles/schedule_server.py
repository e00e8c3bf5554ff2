"""A real local HTTP server that releases papers and posts on arXiv's real schedule, by a clock.

What it serves is the world of tests/doubles/schedule_world.py (real saved papers and posts,
re-timed), as of the server's clock (`set_now`, or `POST /_clock {"now": ISO 8601}`):

  GET /arxiv/api/query?search_query=&start=&max_results=&sortBy=&sortOrder=
      arXiv's export API: Atom, `cat:` terms ORed, `submittedDate:[YYYYMMDDHHMM TO …]` (GMT,
      both minutes inclusive). Only papers whose announcement is in the API by now (from the
      midnight ET after it). As strict as the manual: max_results over 2000 and start past
      30000 are refused (an error entry, as arXiv reports errors). Where the manual is silent
      it is unkind: a replaced paper (v2 announced) also matches the date range of its v2.
  GET /hf/api/daily_papers?date=YYYY-MM-DD
      that date's list as filled by now (2024 schema), [] for a date with nothing yet.
  GET /feeds/openai.xml
      RSS 2.0: the newest 30 posts the feed shows by now; some show up hours after their date.

`GET /_released` is the ground truth (what each source has released by now), `GET /_counts`
the requests per path. Run as a process: python -m tests.doubles.schedule_server --first
2023-11-03 --days 25 --port 8766
"""

from __future__ import annotations

import argparse
import json
import re
import threading
from collections import Counter
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.doubles.schedule_formats import atom_entry, atom_error, atom_feed, hf_entry, rss
from tests.doubles.schedule_world import (
    ARXIV_HOLIDAYS,
    FEED_SIZE,
    Listed,
    Paper,
    Post,
    hf_listings,
    load_papers,
    load_posts,
)
from tests.doubles.stand_in import OwnedServer, StandIn

_RANGE = re.compile(r"submittedDate:\[(\d{12}) TO (\d{12})\]")
_ISO = "%Y-%m-%dT%H:%M:%SZ"


class _Handler(BaseHTTPRequestHandler):
    server: OwnedServer[ScheduleServer]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        owner = self.server.owner
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        owner.counted(parts.path)
        if parts.path == "/arxiv/api/query":
            return self._send(200, "application/atom+xml; charset=utf-8", owner.arxiv(query))
        if parts.path == "/hf/api/daily_papers":
            status, body = owner.hf(query.get("date", ""))
            return self._send(status, "application/json", body)
        if parts.path == "/feeds/openai.xml":
            return self._send(200, "application/rss+xml; charset=utf-8", owner.feed())
        if parts.path == "/_released":
            return self._send(200, "application/json", json.dumps(owner.released()).encode())
        if parts.path == "/_counts":
            return self._send(200, "application/json", json.dumps(owner.counts()).encode())
        self._send(404, "text/plain", b"not found\n")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            data = json.loads(self.rfile.read(length) or b"{}")
            if urlsplit(self.path).path != "/_clock":
                return self._send(404, "text/plain", b"no such control\n")
            self.server.owner.set_now(datetime.fromisoformat(data["now"]))
        except (ValueError, KeyError, TypeError) as e:
            return self._send(400, "text/plain", f"bad control request: {e}\n".encode())
        self._send(200, "application/json", json.dumps({"now": data["now"]}).encode())


class ScheduleServer(StandIn):
    """`with ScheduleServer(first, days) as s:` serves on a free port until the block ends."""

    def __init__(
        self,
        first: date,
        days: int,
        *,
        holidays: frozenset[date] = ARXIV_HOLIDAYS,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.holidays = holidays
        self.papers: list[Paper] = load_papers(first, days, holidays)
        self.listings: list[Listed] = hf_listings(self.papers, first, days)
        self.posts: list[Post] = load_posts(first, days)
        self._now = datetime.combine(first, datetime.min.time(), tzinfo=UTC)
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        super().__init__(_Handler, host, port)

    def set_now(self, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("now must carry a time zone")
        with self._lock:
            self._now = now.astimezone(UTC)

    @property
    def now(self) -> datetime:
        with self._lock:
            return self._now

    def counted(self, path: str) -> None:
        with self._lock:
            self._counts[path] += 1

    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    # the services
    def arxiv(self, q: dict[str, str]) -> bytes:
        now = self.now
        start, size = int(q.get("start", 0)), int(q.get("max_results", 10))
        if size > 2000:
            return atom_error("max_results must not exceed 2000")
        if start >= 30000:
            return atom_error("start must be below 30000")
        search = q.get("search_query", "")
        cats = set(re.findall(r"cat:([\w.\-]+)", search))
        rng = _RANGE.search(search)
        if "submittedDate" in search and rng is None:
            return atom_error("submittedDate must be [YYYYMMDDHHMM TO YYYYMMDDHHMM]")
        lo, hi = (rng.group(1), rng.group(2)) if rng else ("0", "9" * 12)

        def minute(at: datetime | None) -> str:
            return at.strftime("%Y%m%d%H%M") if at else ""

        hits = [
            p
            for p in self.papers
            if p.in_api(now)
            and (not cats or cats & set(p.categories))
            and (
                lo <= minute(p.submitted) <= hi
                or (p.version(now) == 2 and lo <= minute(p.replaced) <= hi)
            )
        ]
        hits.sort(key=lambda p: (p.submitted, p.id), reverse=q.get("sortOrder") == "descending")
        page = hits[start : start + size]
        return atom_feed(search, len(hits), start, [atom_entry(p, now) for p in page])

    def hf(self, day: str) -> tuple[int, bytes]:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            return 400, json.dumps({"error": '"date" must be YYYY-MM-DD'}).encode()
        now, wanted = self.now, date.fromisoformat(day)
        listed = [e for e in self.listings if e.date == wanted and e.at <= now]
        return 200, json.dumps([hf_entry(e) for e in listed]).encode()

    def feed(self) -> bytes:
        now = self.now
        shown = sorted((p for p in self.posts if p.appears <= now), key=lambda p: p.dated)
        return rss(list(reversed(shown[-FEED_SIZE:])), now)

    def released(self, now: datetime | None = None) -> dict[str, Any]:
        """Ground truth as of `now` (default: the clock): what each source has made public."""
        at = now or self.now
        return {
            "now": at.isoformat(),
            "arxiv": [
                {
                    "id": p.id,
                    "submitted": p.submitted.isoformat(),
                    "announced": p.announced.isoformat(),
                }
                for p in self.papers
                if p.in_api(at)
            ],
            "hf": [
                {"id": e.id, "date": e.date.isoformat(), "ours": e.ours}
                for e in self.listings
                if e.at <= at
            ],
            "feed": [
                {"link": p.link, "dated": p.dated.isoformat(), "appears": p.appears.isoformat()}
                for p in self.posts
                if p.appears <= at
            ],
        }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="arXiv/HF/feed stand-in on arXiv's schedule.")
    ap.add_argument("--first", required=True, help="first day of the period, YYYY-MM-DD")
    ap.add_argument("--days", type=int, default=25)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args(argv)
    server = ScheduleServer(
        date.fromisoformat(args.first), args.days, host=args.host, port=args.port
    )
    server.run("schedule_server")


if __name__ == "__main__":
    main()
