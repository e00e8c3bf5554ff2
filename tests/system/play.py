"""Playing days on the stack: the clock, the subscriptions, slash commands on both platforms,
and waiting for a day to be built and posted.

A day D is played by (re)starting the Procfile's processes with DIGEST_CLOCK_OFFSET set so that
their clock reads D 07:00:45 in Asia/Seoul (just after DIGEST_BUILD_TIME): the cron process's
tick at start finds the build due and enqueues it, and the subscriptions post at 07:01 local,
15 real seconds later (or as soon as the build is published, if it is not yet). The source
stand-in is told to date its news just before that build (each day's items its own) and, for
days past the saved papers, to serve them again later as new papers.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from core.digest import Digest
from core.localtime import instant as post_instant
from core.localtime import parse_hhmm
from core.store.keys import Keys, sid_of
from core.windows import build_moment
from tests.doubles.discord_control import Control
from tests.doubles.slack_requests import command_body, signed_headers
from tests.procs import wait_until
from tests.system.posts import (
    Post,
    check_citations,
    discord_posts,
    section_title,
    slack_posts,
    text_of,
)
from tests.system.stack import BUILD_TIME, SLACK_TEAM, TZ, Stack
from tests.workers.procs import published

Json = dict[str, Any]
KEYS = Keys("aidigest")
MEMBER = (1 << 10) | (1 << 11) | (1 << 16)  # Discord: view, send, read history
MANAGE_GUILD = 1 << 5
# The saved papers (submitted 2024-10-01..04) fill the arXiv announcements the digests take up
# to this day (07:00 Asia/Seoul is before that day's announcement: a digest takes the one before).
LAST_SAVED_DIGEST = date(2024, 10, 9)
LEAD = 45.0  # the processes start this many seconds after the build time


@dataclass(frozen=True)
class Sub:
    platform: str  # slack | discord
    channel: str  # a Slack channel id, or the name of a channel of the Discord guild
    kinds: str  # all | news | papers
    time: str
    tz: str
    lang: str

    def kind_list(self) -> list[str]:
        return ["news", "papers"] if self.kinds == "all" else [self.kinds]


# Posting at the same instant as the build plus a minute, in zones with the same local date
# then (UTC+9 and UTC+10 at 22:01 UTC), in both languages, a kind each or both.
DAILY = (
    Sub("slack", "C0SEOUL", "all", "07:01", "Asia/Seoul", "ko"),
    Sub("slack", "C0TOKYO", "papers", "07:01", "Asia/Tokyo", "en"),
    Sub("discord", "digest-tokyo", "all", "07:01", "Asia/Tokyo", "ko"),
    Sub("discord", "digest-brisbane", "news", "08:01", "Australia/Brisbane", "en"),
)
# Europe/London leaves summer time at 02:00 BST on 2024-10-27: 01:30 happens twice that night.
LONDON = (
    Sub("slack", "C0LONDON", "news", "01:30", "Europe/London", "en"),
    Sub("discord", "digest-london", "all", "01:30", "Europe/London", "ko"),
)
# Due a minute after London's second 01:30: once these have posted, the bots' clocks have
# passed it.
PROBES = (
    Sub("slack", "C0PROBE", "news", "01:31", "UTC", "en"),
    Sub("discord", "digest-probe", "news", "01:31", "UTC", "en"),
)
DISCORD_CHANNELS = ("digest-tokyo", "digest-brisbane", "digest-london", "digest-probe")


def papers_lag(day: date) -> int:
    """0 up to LAST_SAVED_DIGEST; past it, whole weeks (the same weekdays: the same arXiv
    schedule), the stand-in serving the saved papers that many days later as new ones."""
    if day <= LAST_SAVED_DIGEST:
        return 0
    return 7 * -(-(day - LAST_SAVED_DIGEST).days // 7)


@dataclass
class Day:
    date: date
    offset: float  # DIGEST_CLOCK_OFFSET of the day's processes (bots may be moved on)

    @property
    def iso(self) -> str:
        return self.date.isoformat()


@dataclass
class World:
    """The stack with its Discord guild, the subscriptions made so far and the days played."""

    stack: Stack
    control: Control
    guild: str = ""
    channels: dict[str, str] = field(default_factory=dict)  # Discord channel name -> id
    subscribed: list[Sub] = field(default_factory=list)
    played: dict[str, Day] = field(default_factory=dict)
    offsets: dict[str, float] = field(default_factory=dict)  # process name -> offset
    key_echoed: bool = False  # the LLM stand-in was told to answer a 401 echoing the API key

    def setup(self) -> None:
        guild = self.control.add_guild("system", [{"name": n} for n in DISCORD_CHANNELS])
        self.guild = guild["id"]
        self.channels = dict(zip(DISCORD_CHANNELS, guild["channels"], strict=True))

    # --- days ---------------------------------------------------------------------------------

    def open_day(
        self,
        day: date,
        *,
        workers: int = 1,
        slow_job: str = "",
        subs: Sequence[Sub] = DAILY,
    ) -> Day:
        """Stop the Procfile's processes, set the stand-in's dates for `day`, and start them
        all again with their clocks at `day` 07:00:45 (Asia/Seoul); subscribe what is not yet.
        `slow_job` ("PART=SECONDS") runs the workers as tests.workers.slow_worker."""
        self.stack.stop()
        build = build_moment(day, TZ, BUILD_TIME)
        news_at = (build - timedelta(hours=1)).isoformat()
        self.stack.control("sources", "POST", "/_clock",
                           {"news_at": news_at, "papers_lag": papers_lag(day)})  # fmt: skip
        offset = build.timestamp() + LEAD - time.time()
        for _ in range(workers):
            seam = (
                [sys.executable, "-m", "tests.workers.slow_worker", slow_job] if slow_job else None
            )
            self.stack.start("worker", offset, seam)
        self.stack.start("cron", offset)
        self.offsets.update(worker=offset, cron=offset)
        self.start_bots(offset)
        d = Day(day, offset)
        self.played[d.iso] = d
        self.subscribe(subs, d)
        return d

    def start_bots(self, offset: float, names: Sequence[str] = ("slack", "discord")) -> None:
        for name in names:
            self.stack.stop(name)
            self.stack.start(name, offset)
            self.offsets[name] = offset
        if "slack" in names:
            wait_until(
                lambda: httpx.get(self.stack.slack_url + "/healthz", timeout=2).status_code == 200,
                "the Slack bot to answer /healthz",
                timeout=60,
                context=lambda: self.stack.tails("slack"),
            )
        if "discord" in names:
            proc = self.stack.running("discord")[-1]
            wait_until(
                lambda: '"msg": "ready: ' in proc.text(),
                "the Discord bot to be ready",
                timeout=60,
                context=proc.tail,
            )

    def wait_published(self, day: Day, timeout: float = 240.0) -> None:
        with self.stack.redis_client() as r:
            wait_until(
                lambda: r.zscore("aidigest:dates", day.iso) is not None,
                f"{day.iso} to be published",
                timeout=timeout,
                every=0.5,
                context=lambda: self.stack.tails("worker", "cron"),
            )

    def wait_delivered(self, day: Day, subs: Sequence[Sub] = DAILY, timeout: float = 240) -> None:
        """Until every subscription's post of `day` is recorded complete in its ledger."""
        with self.stack.redis_client() as r:
            for sub in subs:
                key = KEYS.posted(self.sid(sub), day.iso)
                wait_until(
                    lambda key=key: r.hexists(key, "_all"),  # type: ignore[misc]
                    f"{sub.platform} {sub.channel} to post {day.iso}",
                    timeout=timeout,
                    every=0.5,
                    context=lambda: self.stack.tails("slack", "discord"),
                )

    # --- subscriptions ------------------------------------------------------------------------

    def sid(self, sub: Sub) -> str:
        team = SLACK_TEAM if sub.platform == "slack" else self.guild
        return sid_of(sub.platform, team, self.channel_id(sub))

    def channel_id(self, sub: Sub) -> str:
        return sub.channel if sub.platform == "slack" else self.channels[sub.channel]

    def subscribe(self, subs: Sequence[Sub], day: Day) -> None:
        """Subscribe through the slash commands, as people do, in time for `day`'s post."""
        for sub in subs:
            if sub in self.subscribed:
                continue
            if sub.platform == "slack":
                said = text_of(self.slack_command(
                    f"subscribe {sub.kinds} at {sub.time} {sub.tz} {sub.lang}", sub.channel
                ))  # fmt: skip
            else:
                options = {"channel": self.channels[sub.channel], "kinds": sub.kinds,
                           "time": sub.time, "timezone": sub.tz, "language": sub.lang}  # fmt: skip
                said = text_of(self.discord_command("subscribe", options,
                                                    permissions=MEMBER | MANAGE_GUILD))  # fmt: skip
            assert "Subscribed" in said and sub.tz in said, said
            assert f"Next post: {day.iso} {sub.time}" in said, f"subscribed too late: {said}"
            self.subscribed.append(sub)

    def unsubscribe(self, sub: Sub) -> None:
        if sub.platform == "slack":
            said = text_of(self.slack_command("unsubscribe", sub.channel))
        else:
            options = {"channel": self.channels[sub.channel]}
            said = text_of(self.discord_command("unsubscribe", options,
                                                permissions=MEMBER | MANAGE_GUILD))  # fmt: skip
        assert "Unsubscribed" in said, said
        self.subscribed.remove(sub)

    # --- slash commands -----------------------------------------------------------------------

    def slack_command(self, text: str, channel: str = "C0SEOUL") -> list[Json]:
        """`/aidigest <text>` as Slack sends it (signed); the ack's message, then any sent to
        the response_url."""
        where = {"team": SLACK_TEAM, "channel": channel, "user": "U0SYSTEM"}
        answer_to = self.stack.control("slack_api", "POST", "/_response_url", where)["url"]
        rid = answer_to.rsplit("/", 1)[-1]
        body = command_body(text, team=SLACK_TEAM, channel=channel, user="U0SYSTEM",
                            response_url=answer_to)  # fmt: skip
        headers = signed_headers(self.stack.secrets["SLACK_SIGNING_SECRET"], body)
        r = httpx.post(f"{self.stack.slack_url}/slack/events", content=body, headers=headers,
                       timeout=10)  # fmt: skip
        r.raise_for_status()
        first = r.json() if r.content else {}

        def followed() -> list[Json]:
            got = self.stack.control("slack_api", "GET", "/_responses")
            return [x for x in got if x.get("rid") == rid]

        if "Working on it" in str(first.get("text")):  # answered after the 3 s ack
            return wait_until(followed, f"the answer to /aidigest {text}", timeout=30)
        return [first, *followed()]

    def discord_command(
        self, subcommand: str, options: Json | None = None, permissions: int = MEMBER
    ) -> Json:
        """`/aidigest <subcommand>` injected through the gateway; the data of the answer (the
        callback's, or the edit of a deferred one)."""
        res = self.control.interact(self.guild, subcommand, options or {}, wait=15,
                                    permissions=permissions)  # fmt: skip
        assert res["callbacks"], f"the bot did not answer /aidigest {subcommand}"
        first = res["callbacks"][0]
        if first["type"] != 5:  # answered at once
            return dict(first.get("data") or {})
        done = wait_until(
            lambda: (self.control.interaction(res["id"])["edits"] or [None])[-1],
            f"the deferred answer to /aidigest {subcommand}",
            timeout=30,
        )
        return dict(done)

    # --- what was built and posted ------------------------------------------------------------

    def digest(self, iso: str, lang: str) -> Digest:
        with self.stack.redis_client() as r:
            got = published(r).digest(iso, lang)
        assert got is not None, f"no digest of {iso} in {lang}"
        return got

    def posts(self, sub: Sub, iso: str) -> list[Post]:
        if sub.platform == "slack":
            messages = self.stack.control("slack_api", "GET", "/_messages")
            return slack_posts(messages, sub.channel, iso)
        cid = self.channels[sub.channel]
        return discord_posts(self.control.messages(channel_id=cid), cid, iso)


def check_post(
    world: World, sub: Sub, day: Day, *, offset: Callable[[float], float] | None = None
) -> Post:
    """`sub` got exactly one post of `day`: its sections, each once, with their citations, at
    the subscription's local post time (as the bot's shifted clock told it: `offset` gives the
    offset of the bot that posted at a real time, when the bots' clocks were moved that day)."""
    posts = world.posts(sub, day.iso)
    assert len(posts) == 1, f"{sub}: {len(posts)} posts of {day.iso}: {[p.header for p in posts]}"
    post = posts[0]
    mine = world.digest(day.iso, sub.lang)
    sections = [s for s in mine.sections if s.kind in sub.kind_list()]
    assert sections, f"{sub}: the digest of {day.iso} has nothing for it"
    assert post.titles == [section_title(s) for s in sections], sub
    if sub.platform == "slack":
        assert len(set(post.uids)) == post.messages, f"a reply posted twice: {post.uids}"
    for s, (_, text) in zip(sections, post.sections, strict=True):
        check_citations(sub.platform, s, text)
    shift = offset(post.at) if offset is not None else day.offset
    when = datetime.fromtimestamp(post.at + shift, UTC)
    due = post_instant(day.date, parse_hhmm(sub.time), sub.tz)
    assert due - timedelta(seconds=1) <= when < due + timedelta(minutes=15), (sub, when, due)
    assert when.astimezone(ZoneInfo(sub.tz)).date() == day.date
    return post


@contextmanager
def running_world(directory: Path) -> Iterator[World]:
    """A stack with its stand-ins and set-up workspaces under `directory`, stopped at the end
    whatever happened (process groups are killed)."""
    stack = Stack(directory)
    control = Control(stack.url("discord_api"))
    try:
        stack.start_services()
        world = World(stack, control)
        world.setup()
        yield world
    finally:
        control.close()
        stack.close()
