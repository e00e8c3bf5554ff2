"""Faults, each played as a day of the same stack (dates after test_day's): the day ends with
its digest complete, or marked partial saying what is missing, and every subscription posted
exactly once (or, when there is nothing to post, not at all, with the reason on record)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rq import Worker
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry
from rq.serializers import JSONSerializer

from core.headings import label
from tests.procs import wait_until
from tests.system.play import DAILY, KEYS, LONDON, PROBES, Day, Sub, World, check_post
from workers.builds import BuildRecord, Builds
from workers.defaults import QUEUE

pytestmark = [pytest.mark.system, pytest.mark.timeout(900)]
MESSAGES = "POST /channels/{channel_id}/messages"


@pytest.fixture(autouse=True)
def no_faults_left(world: World) -> Iterator[None]:
    """Each day starts and ends without injected faults (a failed test leaves none behind)."""
    clear_faults(world)
    yield
    clear_faults(world)


def clear_faults(world: World) -> None:
    world.stack.control("sources", "POST", "/_reset", {})
    world.stack.control("llm", "POST", "/_faults", {"clear": True, "latency": 0})
    world.control.clear_faults()


def llm_stats(world: World) -> dict[str, Any]:
    stats: dict[str, Any] = world.stack.control("llm", "GET", "/_stats")
    return stats


def slack_statuses(world: World, method: str) -> Counter[int]:
    calls = world.stack.control("slack_api", "GET", "/_calls")
    return Counter(c["status"] for c in calls if c["method"] == method)


def test_llm_storms_and_garbage_and_chat_platform_errors(world: World) -> None:
    """A 429 storm, 500s, a timeout and garbage from the LLM; 5xx (one after the message was
    stored) and 429s from Slack and Discord. Sections the LLM could not summarise are the
    offline summary, saying why; every channel gets its post once."""
    when = date(2024, 10, 5)  # papers not seen before: nothing of it is in the LLM cache
    world.stack.control("llm", "POST", "/_faults", {"faults": [
        {"kind": "401", "times": 1},  # echoes the key it was sent: test_logs looks for it
        {"kind": "429", "times": 20, "retry_after": 1},
        {"kind": "500", "match": "Section: LLM (papers)"},
        {"kind": "malformed", "match": "Section: Computer Vision (papers)"},
        {"kind": "hang", "times": 1, "hang": 10, "schema": "section_summary"},
        {"kind": "bad_citations", "times": 1, "schema": "section_summary"},
    ]})  # fmt: skip
    world.key_echoed = True
    for fault in (
        {"method": "chat.postMessage", "status": 500, "times": 2, "after": True},
        {"method": "chat.postMessage", "status": 429, "times": 2},
        {"method": "files.completeUploadExternal", "status": 502, "times": 1},
    ):
        world.stack.control("slack_api", "POST", "/_faults", fault)
    sent, stored = discord_sends(world), len(world.control.messages())
    world.control.fault(MESSAGES, status=500, times=2)
    world.control.fault(MESSAGES, status=429, retry_after=1, times=2)

    day = world.open_day(when)
    world.wait_published(day)
    world.wait_delivered(day)

    left = [f for f in llm_stats(world)["faults"] if f["times"] not in (None, 0)]
    assert left == [], "every counted LLM fault was met"
    for lang in ("ko", "en"):
        digest = world.digest(day.iso, lang)
        by_name = {s.name: s for s in digest.sections if s.kind == "papers"}
        for name, why in (("LLM", "500"), ("Computer Vision", "JSON")):
            s = by_name[name]
            assert s.mode == "offline-fallback" and why in s.note, (name, s.note)
        for s in digest.sections:
            assert s.mode == "llm" or (s.mode == "offline-fallback" and s.note), s.name
    for sub in DAILY:
        post = check_post(world, sub, day)
        if "papers" in sub.kind_list():
            assert label(sub.lang, "fallback") in post.text  # the post says which is offline
    posted = slack_statuses(world, "chat.postMessage")
    assert posted[500] >= 2 and posted[429] >= 2
    assert slack_statuses(world, "files.completeUploadExternal")[502] >= 1
    # Discord: each refused message was sent again (4 more requests than messages), none twice.
    again = (discord_sends(world) - sent) - (len(world.control.messages()) - stored)
    assert again >= 4 and world.control.stats()["limited"] >= 2


def discord_sends(world: World) -> int:
    """Requests to create a channel message the Discord stand-in has seen (answered or not)."""
    return sum(1 for entry in world.control.log() if entry[1] == MESSAGES)


def test_each_source_down_slow_or_garbage(world: World) -> None:
    """Every source misbehaves its own way. The slow ones are waited for, the others are left
    out: the digest is published with what answered, and says which sources failed."""
    when = date(2024, 10, 8)  # a Tuesday in Seoul: arXiv's Sunday announcement is asked for
    faults = {
        "/arxiv/": "slow:6",  # answers, late
        "/feeds/geeknews": "slow:4",
        "/hf/": "malformed",  # garbage: cut mid-document
        "/hn/": "malformed",
        "/feeds/google": "html",  # garbage: a bot-check page instead of the feed
        "/feeds/openai": "status:500",  # down
    }
    for prefix, fault in faults.items():
        world.stack.control("sources", "POST", "/_faults", {"prefix": prefix, "fault": fault})

    day = world.open_day(when)
    world.wait_published(day)
    world.wait_delivered(day)

    failed = {"hf-daily-papers", "hackernews", "google-ai-blog", "openai-news"}
    for lang in ("ko", "en"):
        digest = world.digest(day.iso, lang)
        status = {s.name: s for s in digest.build.sources}
        assert {n for n, s in status.items() if not s.ok} == failed
        assert status["arxiv"].items > 0 and status["geeknews"].items > 0
        assert status["arxiv"].seconds >= 6  # it was waited for
        assert "500" in status["openai-news"].error and "HTML" in status["google-ai-blog"].error
        failed_hf = {"en": "hf-daily-papers failed (", "ko": "hf-daily-papers 수집에 실패했습니다("}
        assert digest.kinds["papers"].note.startswith(failed_hf[lang])
        news_note = digest.kinds["news"].note
        assert all(n in news_note for n in ("hackernews", "google-ai-blog", "openai-news"))
        assert digest.kinds["papers"].sections and digest.kinds["news"].sections
    for sub in DAILY:
        post = check_post(world, sub, day)
        # the post says what is missing (the notes, in the subscription's language)
        if "papers" in sub.kind_list():
            assert "hf-daily-papers" in post.header_shown
        if "news" in sub.kind_list():
            assert "openai-news" in post.header_shown


def test_all_sources_down_posts_nothing_and_the_status_says_why(world: World) -> None:
    when = date(2024, 10, 9)  # a day arXiv announced for: every source is asked, and fails
    for prefix in ("/arxiv/", "/hf/", "/feeds/", "/hn/"):
        world.stack.control(
            "sources", "POST", "/_faults", {"prefix": prefix, "fault": "status:500"}
        )

    day = world.open_day(when)
    with world.stack.redis_client() as r:

        def failed() -> BuildRecord | None:
            rec = Builds(r, KEYS).record(day.iso)
            return rec if rec is not None and rec.state == "failed" else None

        rec = wait_until(failed, "the build to fail", 120, context=world.stack.tails)
        assert rec.error.startswith("every source failed: ")
        assert r.zscore("aidigest:dates", day.iso) is None  # nothing was published
        # Both bots came for the day at 07:01, found no digest and wait for one.
        for sub in DAILY:
            platform, sid = sub.platform, world.sid(sub)
            wait_until(
                lambda p=platform, s=sid: r.hexists(KEYS.waiting(p, day.iso), s),  # type: ignore[misc]
                f"{sid} to wait for {day.iso}",
                timeout=120,
                context=lambda: world.stack.tails("slack", "discord"),
            )
            assert not r.exists(KEYS.posted(sid, day.iso))
    for sub in DAILY:
        assert world.posts(sub, day.iso) == [], f"{sub} got an empty digest"
    said = world.stack.cli(["status", "--date", day.iso], day.offset)
    assert f"{day.iso}: failed" in said and "by tick" in said, said
    assert "Error: every source failed:" in said
    for name in ("arxiv", "hf-daily-papers", "openai-news", "geeknews", "hackernews"):
        assert f"{name}: " in said, said


def test_a_worker_killed_mid_job_and_redis_restarted_mid_build(world: World) -> None:
    """SIGKILL the worker running a section job, restart Redis while the other worker is at
    work, restart the killed worker: RQ finds the killed job abandoned and retries it, and the
    same build run completes and is posted once."""
    when = date(2024, 10, 11)
    slow = "papers-llm-ko"  # the slow worker holds this job, so the kill lands inside it
    day = world.open_day(when, workers=2, slow_job=f"{slow}=15")
    with world.stack.redis_client() as r:

        def running_it() -> tuple[int, str] | None:
            """The worker process running the job, and the job's id (RQ records both)."""
            workers = Worker.all(connection=r, serializer=JSONSerializer)
            ids = ((w.pid, w.get_current_job_id() or "") for w in workers)
            return next(((p, j) for p, j in ids if p and j.endswith(f"-{slow}")), None)

        pid, job_id = wait_until(running_it, f"{slow} to start", 120, context=world.stack.tails)
    [victim] = [p for p in world.stack.running("worker") if p.pid == pid]
    [other] = [p for p in world.stack.running("worker") if p is not victim]
    victim.kill()  # the worker, its work horse and its scheduler: no goodbyes
    world.stack.procs["worker"].remove(victim)
    before = world.stack.redis.restart()
    with world.stack.redis_client() as r:  # RQ's rule: abandoned once its heartbeat lapses
        started = StartedJobRegistry(QUEUE, connection=r, serializer=JSONSerializer)
        wait_until(lambda: job_id in started.get_expired_job_ids(), "the heartbeat to lapse", 200)
    # A supervisor restarts the killed worker (without the slow hook); a starting worker
    # looks for abandoned jobs at once, then every maintenance interval, as the other does.
    world.stack.start("worker", day.offset)
    world.wait_published(day, timeout=400)

    with world.stack.redis_client() as r:
        assert r.info("server")["run_id"] == before  # no other restart happened meanwhile
        rec = Builds(r, KEYS).record(day.iso)
        job = Job.fetch(job_id, connection=r, serializer=JSONSerializer)
        assert rec is not None and rec.run == 1 and rec.state == "ready"  # the same build
        assert job.get_status() == JobStatus.FINISHED
        assert job.retries_left is not None and job.retries_left < rec.retry_max  # retried
    assert other.alive(), "the other worker carried on over the Redis restart by itself"
    for lang in ("ko", "en"):
        digest = world.digest(day.iso, lang)
        assert {s.mode for s in digest.sections} == {"llm"}  # nothing was lost or replaced
    world.wait_delivered(day)
    for sub in DAILY:
        check_post(world, sub, day)


def test_redis_restarted_and_bots_killed_mid_post_then_restarted(world: World) -> None:
    """Both bots are posting when Redis restarts under them; they carry on. Then they are
    SIGKILLed with posts half done, and started again: every channel ends with its post
    exactly once.

    A killed bot's claims are leased for 600 s (DeliveryConfig.lease): the bots are restarted
    with their clock moved past the lease, rather than waiting ten real minutes."""
    when = date(2024, 10, 12)
    world.control.fault(MESSAGES, delay=5.0, times=-1)  # slow Discord posts: time to kill
    day = world.open_day(when)
    world.wait_published(day)
    seoul = DAILY[0]
    discord = [s for s in DAILY if s.platform == "discord"]

    def slack_sent() -> int:
        return sum(p.messages + 1 for p in world.posts(seoul, day.iso))

    def discord_sent() -> int:
        return sum(p.messages + 1 for s in discord for p in world.posts(s, day.iso))

    def unfinished() -> set[str]:
        with world.stack.redis_client() as r:
            return {
                s.platform
                for s in DAILY
                if not r.hexists(KEYS.posted(world.sid(s), day.iso), "_all")
            }

    wait_until(lambda: slack_sent() >= 3 and discord_sent() >= 1, "both bots to post", 120)
    assert unfinished() == {"slack", "discord"}, "the posts ended before Redis restarted"
    at_restart = (slack_sent(), discord_sent())
    world.stack.redis.restart()
    wait_until(
        lambda: slack_sent() > at_restart[0] + 1 and discord_sent() > at_restart[1],
        "both bots to go on posting over the restarted Redis",
        timeout=60,
        context=lambda: world.stack.tails("slack", "discord"),
    )
    world.stack.kill("slack")
    world.stack.kill("discord")
    killed_at = time.time()
    assert unfinished() == {"slack", "discord"}, "the posts ended before the bots were killed"

    moved = day.offset + 600 + 60
    world.start_bots(moved)
    world.wait_delivered(day)
    world.control.clear_faults()
    for sub in DAILY:
        check_post(world, sub, day, offset=lambda t: day.offset if t < killed_at else moved)


def test_a_post_time_that_happens_twice_when_clocks_go_back_posts_once(world: World) -> None:
    """Europe/London goes from BST back to GMT at 01:00 UTC on 2024-10-27, so 01:30 comes
    twice: at 00:30 UTC and at 01:30 UTC. A subscription at 01:30 London posts that day's
    digest once, at the first (DESIGN: a repeated wall time posts at its first occurrence),
    and its next post is the next day's 01:30 GMT."""
    when = date(2024, 10, 27)
    first = datetime(2024, 10, 27, 0, 30, tzinfo=UTC)  # 01:30 BST
    second = datetime(2024, 10, 27, 1, 30, tzinfo=UTC)  # 01:30 GMT, the same wall time again
    tomorrow = datetime(2024, 10, 28, 1, 30, tzinfo=UTC)  # 01:30 GMT on the 28th
    day = world.open_day(when, subs=(*DAILY, *LONDON))
    world.wait_published(day)
    world.wait_delivered(day)
    for sub in DAILY:
        check_post(world, sub, day)
    assert due_scores(world, LONDON) == [first.timestamp()] * len(LONDON)

    # The bots' clocks at 01:29:50 BST, then on past 01:30 BST.
    night = Day(when, first.timestamp() - 10 - time.time())
    world.start_bots(night.offset)
    world.wait_delivered(night, LONDON)
    assert first.astimezone(ZoneInfo("Europe/London")).strftime("%H:%M %Z") == "01:30 BST"
    for sub in LONDON:
        post = check_post(world, sub, night)  # at 01:30 London, give or take the posting
        assert post.at + night.offset < second.timestamp()  # and at the first of the two
    assert due_scores(world, LONDON) == [tomorrow.timestamp()] * len(LONDON)

    # After the change, past the second 01:30 (GMT): subscriptions due at 01:31 UTC post, so
    # the bots' clocks have passed it; London's was not due again and is not posted again.
    later = Day(when, second.timestamp() + 40 - time.time())
    world.start_bots(later.offset)
    world.subscribe(PROBES, later)
    world.wait_delivered(later, PROBES)
    for sub in LONDON:
        assert len(world.posts(sub, day.iso)) == 1, f"{sub} posted again at the second 01:30"
    assert due_scores(world, LONDON) == [tomorrow.timestamp()] * len(LONDON)
    for sub in (*LONDON, *PROBES):  # they would post late on any later day played
        world.unsubscribe(sub)


def due_scores(world: World, subs: tuple[Sub, ...]) -> list[float | None]:
    """The next post time each subscription is scheduled at."""
    with world.stack.redis_client() as r:
        return [r.zscore(KEYS.due(s.platform), world.sid(s)) for s in subs]
