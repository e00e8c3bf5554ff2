"""Twenty-one mornings of `aidigest build` against the schedule stand-in, and their check.

The stand-in (tests/doubles/schedule_server.py) releases real arXiv papers on arXiv's schedule,
Hugging Face listings and a feed that shows some posts late. A digest is built every morning at
07:05 Asia/Seoul from Sunday 2023-11-05 (US clocks fall back that night) to Saturday 2023-11-25
(Thanksgiving was the Thursday): the Thursday 9th is never built, the Tuesday 14th is built
twice (07:05 and 15:05), and the 15th is rebuilt at the end. `check` compares every day's
items.jsonl and notes with the stand-in's own account of what it released (computed from its
own rule of arXiv's schedule, not core's). Used by tests/cli/test_coverage.py and
bench/coverage.py.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from core.items import url_item_id
from core.urls import canonical_url
from tests.doubles.schedule_server import ScheduleServer
from tests.doubles.schedule_world import API_DELAY, EASTERN, announces

SEOUL = ZoneInfo("Asia/Seoul")
FIRST = date(2023, 11, 3)  # the stand-in's first day
WORLD_DAYS = 25
MORNINGS = [date(2023, 11, 5) + timedelta(days=n) for n in range(21)]
MISSED = date(2023, 11, 9)
TWICE = date(2023, 11, 14)
REBUILT = date(2023, 11, 15)
LATE = timedelta(minutes=5)  # the build runs a few minutes after 07:00
CATEGORIES = ("cs.AI", "cs.CL", "cs.CV", "cs.LG", "cs.RO")
WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "ko": ("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일"),
}
Main = Callable[[Sequence[str]], int]


def morning(d: date) -> datetime:
    return datetime.combine(d, time(7), tzinfo=SEOUL)


def sources_toml(url: str) -> str:
    cats = ", ".join(f'"{c}"' for c in CATEGORIES)
    return (
        f'[[source]]\nname = "arxiv"\ntype = "arxiv"\nkind = "papers"\n'
        f'url = "{url}/arxiv/api/query"\ncategories = [{cats}]\npage_size = 200\n'
        "allow_private = true\n\n"  # the stand-in listens on 127.0.0.1
        f'[[source]]\nname = "hf-daily-papers"\ntype = "hf_daily"\nkind = "papers"\n'
        f'url = "{url}/hf/api/daily_papers"\nallow_private = true\n\n'
        f'[[source]]\nname = "openai-news"\ntype = "feed"\nkind = "news"\n'
        f'url = "{url}/feeds/openai.xml"\nallow_private = true\n'
    )


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    dropped = {k: v for k, v in os.environ.items() if k.startswith(("OPENAI_", "REDIS_"))}
    for k in dropped:
        del os.environ[k]
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        os.environ.update(dropped)


@dataclass
class Played:
    out: Path
    built: list[date] = field(default_factory=list)  # in order; TWICE once
    twice_same: bool = False  # the second run of TWICE wrote the same items.jsonl
    rebuilt_same: bool = False  # REBUILT built again at the end: the same items.jsonl
    seconds: list[float] = field(default_factory=list)


def build(
    main: Main, world: ScheduleServer, out: Path, config: Path, d: date, at: datetime
) -> float:
    """`aidigest build --date d` with the clock (aidigest's and the stand-in's) at `at`."""
    world.set_now(at)
    offset = (at - datetime.now(UTC)).total_seconds()
    env = {
        "DIGEST_CLOCK_OFFSET": str(offset),
        "DIGEST_LANGUAGES": "ko,en",
        "DIGEST_TIMEZONE": "Asia/Seoul",
        "DIGEST_BUILD_TIME": "07:00",
    }
    started = datetime.now(UTC)
    with _environment(env), contextlib.redirect_stdout(io.StringIO()):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = main(
                ["build", "--date", d.isoformat(), "--out", str(out), "--config", str(config)]
            )
    if code != 0:
        raise RuntimeError(f"aidigest build {d} exited {code}: {err.getvalue()[-2000:]}")
    return (datetime.now(UTC) - started).total_seconds()


def play(main: Main, world: ScheduleServer, out: Path) -> Played:
    config = out / "sources.toml"
    out.mkdir(parents=True, exist_ok=True)
    config.write_text(sources_toml(world.url), "utf-8")
    played = Played(out)
    for d in MORNINGS:
        if d == MISSED:
            continue
        played.seconds.append(build(main, world, out, config, d, morning(d) + LATE))
        played.built.append(d)
        if d == TWICE:
            first = (out / d.isoformat() / "items.jsonl").read_bytes()
            build(main, world, out, config, d, morning(d) + timedelta(hours=8) + LATE)
            played.twice_same = (out / d.isoformat() / "items.jsonl").read_bytes() == first
    before = (out / REBUILT.isoformat() / "items.jsonl").read_bytes()
    build(main, world, out, config, REBUILT, morning(MORNINGS[-1]) + timedelta(hours=3))
    played.rebuilt_same = (out / REBUILT.isoformat() / "items.jsonl").read_bytes() == before
    return played


@dataclass
class Outcome:
    days: int
    released: int
    published: int
    missed: int
    repeated: int
    unexpected: int
    notes_ok: int
    notes_total: int
    problems: list[str]

    def line(self) -> str:
        return (
            f"bench coverage: days={self.days} released={self.released}"
            f" published={self.published} missed={self.missed} repeated={self.repeated}"
            f" notes_ok={self.notes_ok}/{self.notes_total}"
        )


def due_ids(world: ScheduleServer, last: datetime) -> set[str]:
    """What the sources released from the first digest's window to the last build, as
    items.jsonl names it (arXiv papers by arXiv id, posts by their URL's id)."""
    start = morning(MORNINGS[0] - timedelta(days=1))
    papers = {
        p.id
        for p in world.papers
        if p.in_api(last)
        and p.announced + API_DELAY > start
        and set(CATEGORIES) & set(p.categories)
    }
    first_listing = datetime.combine(start.astimezone(UTC).date(), time(0), tzinfo=UTC)
    listed = {
        e.id
        for e in world.listings
        if e.at <= last
        and datetime.combine(e.date, time(0), tzinfo=UTC) >= first_listing + timedelta(days=1)
    }
    posts = {
        url_item_id(canonical_url(p.link))
        for p in world.posts
        if p.appears <= last and start <= p.dated < morning(MORNINGS[-1])
    }
    return papers | listed | posts


def _announced(world: ScheduleServer, lo: datetime, hi: datetime) -> tuple[list[date], list[date]]:
    """US-Eastern evenings whose announcement reached the API in (lo, hi]: announcing, silent."""
    said, silent = [], []
    day = lo.astimezone(EASTERN).date() - timedelta(days=1)
    while day <= hi.astimezone(EASTERN).date():
        at = datetime.combine(day, time(20), tzinfo=EASTERN) + API_DELAY
        if lo < at <= hi:
            (said if announces(day, world.holidays) else silent).append(day)
        day += timedelta(days=1)
    return said, silent


def _next(world: ScheduleServer, after: datetime) -> datetime:
    day = after.astimezone(EASTERN).date()
    while True:
        at = datetime.combine(day, time(20), tzinfo=EASTERN)
        if announces(day, world.holidays) and at + API_DELAY > after:
            return at
        day += timedelta(days=1)


def note_problems(
    world: ScheduleServer, note: str, lang: str, lo: datetime, hi: datetime
) -> list[str]:
    """What is wrong with a day's papers note, judged by the stand-in's own calendar."""
    said, silent = _announced(world, lo, hi)
    names = WEEKDAYS[lang]
    if len(said) >= 2:
        want = [f"{len(said)}"] + [names[d.weekday()] for d in said]
        return [f"{lang}: catch-up note lacks {w!r}: {note!r}" for w in want if w not in note]
    if said:
        return (
            [f"{lang}: a day with one announcement has an arXiv note: {note!r}"]
            if "arXiv" in note
            else []
        )
    why = {"weekend" if d.weekday() in (4, 5) else "holiday" for d in silent}
    words = {
        "en": {"weekend": "weekend", "holiday": "arXiv holiday"},
        "ko": {"weekend": "주말", "holiday": "arXiv 휴일"},
    }[lang]
    nxt = _next(world, hi)
    local = nxt.astimezone(SEOUL)
    want = [words[w] for w in why] + [
        f"{names[nxt.astimezone(EASTERN).weekday()]} 20:00",
        f"{names[local.weekday()]} {local:%H:%M}",
        "arXiv",
    ]
    return [f"{lang}: no-announcement note lacks {w!r}: {note!r}" for w in want if w not in note]


def check(world: ScheduleServer, played: Played) -> Outcome:
    out, problems = played.out, []
    seen: Counter[str] = Counter()
    notes_ok = notes_total = 0
    last = morning(played.built[-1]) + LATE
    previous = morning(played.built[0] - timedelta(days=1))
    for d in played.built:
        day_dir = out / d.isoformat()
        rows = [json.loads(x) for x in (day_dir / "items.jsonl").read_text("utf-8").splitlines()]
        seen.update(r["id"] for r in rows)
        end = morning(d)
        for lang in ("ko", "en"):
            digest = json.loads((day_dir / f"digest.{lang}.json").read_text("utf-8"))
            wrong = note_problems(world, digest["kinds"]["papers"]["note"], lang, previous, end)
            notes_total += 1
            notes_ok += not wrong
            problems += [f"{d}: {w}" for w in wrong]
        previous = end
    due = due_ids(world, last)
    published = set(seen)
    if not played.twice_same:
        problems.append(f"{TWICE}: built again, items.jsonl changed")
    if not played.rebuilt_same:
        problems.append(f"{REBUILT}: rebuilt after later days, items.jsonl changed")
    repeated = sum(n - 1 for n in seen.values())
    problems += [f"in {n} days: {i}" for i, n in seen.items() if n > 1][:20]
    problems += [f"missed: {i}" for i in sorted(due - published)][:20]
    problems += [f"not released: {i}" for i in sorted(published - due)][:20]
    return Outcome(
        days=len(MORNINGS),
        released=len(due),
        published=len(due & published),
        missed=len(due - published),
        repeated=repeated,
        unexpected=len(published - due),
        notes_ok=notes_ok,
        notes_total=notes_total,
        problems=problems,
    )
