"""The world the schedule stand-in serves: real saved papers and posts, re-timed onto a period.

- arXiv: the 554 bundled real papers (core/data/demo/arxiv_cs.AI_*.jsonl), their submission
  times moved onto the period's days (time of day kept; weekdays get three times the papers of
  weekend days, as on arXiv) and announced by arXiv's published rule, written here from arXiv's
  table, independently of core: a submission goes out at the first 14:00 ET deadline after it
  (Monday to Friday), announced 20:00 that evening, or Sunday for Friday's deadline; an evening
  that is a holiday defers it to the next announcing evening. The export API has an announcement
  from the midnight (ET) after it. One paper is held in moderation for one extra announcement;
  one is replaced (v2) a few days after it was announced.
- Hugging Face Daily Papers: each UTC date lists papers arXiv announced one to three days before
  (already news) and one real HF paper that is not in our arXiv categories (new), filled in
  through the day.
- A news feed: the saved real OpenAI posts, two a day; every third one shows up in the feed
  LATE_HOURS after its stated date. The feed carries the newest FEED_SIZE posts it shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from email.utils import parsedate_to_datetime
from importlib import resources
from typing import Any
from xml.etree import ElementTree as ET_XML
from zoneinfo import ZoneInfo

EASTERN = ZoneInfo("America/New_York")
API_DELAY = timedelta(hours=4)  # 20:00 announcement → in the API from 00:00 ET
LATE_HOURS = 9
FEED_SIZE = 30
HF_PER_DAY = 4  # already-announced papers listed on a date
# arXiv's published holidays the stand-in honours (US-Eastern evenings without announcement).
ARXIV_HOLIDAYS = frozenset(
    {date(2023, 11, 23), date(2023, 12, 25), date(2024, 10, 8), date(2024, 11, 28)}
)


def _demo(name: str) -> bytes:
    return resources.files("core.data").joinpath("demo", name).read_bytes()


def _demo_names(prefix: str) -> list[str]:
    root = resources.files("core.data").joinpath("demo")
    return sorted(p.name for p in root.iterdir() if p.name.startswith(prefix))


def announces(evening: date, holidays: frozenset[date]) -> bool:
    """Whether arXiv announces at 20:00 ET that evening: Sunday to Thursday, not a holiday."""
    return evening.weekday() not in (4, 5) and evening not in holidays


def arxiv_announcement(submitted: datetime, holidays: frozenset[date]) -> datetime:
    """arXiv's table: the first deadline after the submission, then its evening, deferred past
    holidays. Returned in UTC."""
    local = submitted.astimezone(EASTERN)
    day = local.date()
    while True:  # the first Monday–Friday 14:00 ET strictly after the submission
        deadline = datetime.combine(day, time(14), tzinfo=EASTERN)
        if day.weekday() < 5 and deadline > local:
            break
        day += timedelta(days=1)
    evening = day + timedelta(days=2 if day.weekday() == 4 else 0)  # Friday's → Sunday
    while not announces(evening, holidays):
        evening += timedelta(days=1)
    return datetime.combine(evening, time(20), tzinfo=EASTERN).astimezone(UTC)


@dataclass(frozen=True)
class Paper:
    id: str
    title: str
    abstract: str
    authors: tuple[str, ...]
    categories: tuple[str, ...]  # primary first
    submitted: datetime  # v1, UTC
    announced: datetime  # v1 announcement, UTC
    replaced: datetime | None = None  # v2 submission
    replaced_announced: datetime | None = None

    def in_api(self, now: datetime) -> bool:
        return self.announced + API_DELAY <= now

    def version(self, now: datetime) -> int:
        visible = self.replaced_announced and self.replaced_announced + API_DELAY <= now
        return 2 if visible else 1


@dataclass(frozen=True)
class Listed:
    """An entry of a Hugging Face date."""

    id: str  # an arXiv id
    title: str
    summary: str
    authors: tuple[str, ...]
    published: datetime  # the paper's arXiv date
    date: date  # the HF date that lists it
    at: datetime  # when it appears in that date's list
    upvotes: int
    ours: bool  # one of the stand-in's arXiv papers (already news when listed)


@dataclass(frozen=True)
class Post:
    title: str
    link: str
    description: str
    dated: datetime  # the feed's pubDate
    appears: datetime  # when the feed starts to show it


def _spread(first: date, days: int) -> list[date]:
    slots = []
    for n in range(days):
        day = first + timedelta(days=n)
        slots += [day] * (1 if day.weekday() >= 5 else 3)
    return slots


def _paper_rows() -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for name in _demo_names("arxiv_")
        for line in _demo(name).decode("utf-8").splitlines()
        if line.strip()
    ]


def load_papers(first: date, days: int, holidays: frozenset[date] = ARXIV_HOLIDAYS) -> list[Paper]:
    rows = sorted(_paper_rows(), key=lambda r: (r["published"], r["id"]))
    slots = _spread(first, days)
    papers = []
    for k, row in enumerate(rows):
        original = datetime.fromisoformat(row["published"]).astimezone(UTC)
        submitted = datetime.combine(slots[k % len(slots)], original.time(), tzinfo=UTC)
        papers.append(
            Paper(
                id=row["id"],
                title=row["title"],
                abstract=row["abstract"],
                authors=tuple(row["authors"]),
                categories=tuple(row["categories"]),
                submitted=submitted,
                announced=arxiv_announcement(submitted, holidays),
            )
        )
    papers.sort(key=lambda p: (p.submitted, p.id))
    return _with_moderation(papers, holidays)


def _with_moderation(papers: list[Paper], holidays: frozenset[date]) -> list[Paper]:
    """Paper 7 is held one announcement; paper 11 is replaced three days after announcement."""
    out = list(papers)
    held = out[7]
    later = arxiv_announcement(held.announced + timedelta(minutes=1), holidays)
    out[7] = replace(held, announced=later)
    v2 = out[11].announced + timedelta(days=3)
    out[11] = replace(out[11], replaced=v2, replaced_announced=arxiv_announcement(v2, holidays))
    return out


def _hf_only() -> list[Listed]:
    """Real HF Daily Papers entries (2024 schema) whose paper is not among the arXiv papers."""
    ours = {r["id"] for r in _paper_rows()}
    found: dict[str, Listed] = {}
    for name in _demo_names("hf_daily_papers_"):
        for entry in json.loads(_demo(name)):
            paper = entry["paper"]
            if paper["id"] in ours or paper["id"] in found:
                continue
            found[paper["id"]] = Listed(
                id=paper["id"],
                title=paper["title"],
                summary=paper["summary"],
                authors=tuple(a["name"] for a in paper["authors"]),
                published=datetime.fromisoformat(paper["publishedAt"].replace("Z", "+00:00")),
                date=date.min,
                at=datetime.min.replace(tzinfo=UTC),
                upvotes=int(paper.get("upvotes") or 0),
                ours=False,
            )
    return [found[k] for k in sorted(found)]


def hf_listings(papers: list[Paper], first: date, days: int) -> list[Listed]:
    """Per UTC date: HF_PER_DAY papers arXiv announced one to three days before (listed at
    02:00, 08:00, 14:00, 20:00 UTC), and one real HF paper of elsewhere (at 11:00)."""
    others = _hf_only()
    out = []
    for n in range(days):
        day = first + timedelta(days=n)
        midnight = datetime.combine(day, time(0), tzinfo=UTC)
        lo, hi = midnight - timedelta(days=3), midnight - timedelta(days=1)
        recent = [p for p in papers if lo <= p.announced < hi]
        for k, p in enumerate(recent[:HF_PER_DAY]):
            out.append(
                Listed(
                    id=p.id,
                    title=p.title,
                    summary=p.abstract,
                    authors=p.authors,
                    published=p.submitted,
                    date=day,
                    at=midnight + timedelta(hours=2 + 6 * k),
                    upvotes=5 + (n * 7 + k * 13) % 40,
                    ours=True,
                )
            )
        other = others[n % len(others)]
        out.append(replace(other, date=day, at=midnight + timedelta(hours=11)))
    return out


def load_posts(first: date, days: int) -> list[Post]:
    """Two real OpenAI posts a day (09:30 and 21:30 UTC); every third appears LATE_HOURS late."""
    root = ET_XML.fromstring(_demo("openai_news_rss_2025-07-28.xml"))
    items = list(root.iter("item"))[: 2 * days]
    posts = []
    for k, item in enumerate(reversed(items)):  # oldest first
        day = first + timedelta(days=k // 2)
        dated = datetime.combine(day, time(9 if k % 2 == 0 else 21, 30), tzinfo=UTC)
        late = timedelta(hours=LATE_HOURS) if k % 3 == 2 else timedelta(0)
        posts.append(
            Post(
                title=item.findtext("title") or "",
                link=item.findtext("link") or "",
                description=item.findtext("description") or "",
                dated=dated,
                appears=dated + late,
            )
        )
    return posts


def rfc822(at: datetime) -> str:
    return at.strftime("%a, %d %b %Y %H:%M:%S GMT")


def parse_rfc822(text: str) -> datetime:
    return parsedate_to_datetime(text).astimezone(UTC)
