"""The delivery loop on the real Redis with a controlled clock and a recording Poster."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from bot.common.delivery import Delivery, PermanentError
from bot.common.subscription import Subscription
from bot.common.subscription_store import Subscriptions
from core.pipeline import BuiltDay
from core.store.keys import Keys
from tests.bot.helpers import FakeClock, RecordingPoster, aredis, publish, reader, run, slack_sub
from tests.days import redate

pytestmark = pytest.mark.usefixtures("redis_db")
KEYS = Keys("aidigest")
ZONES = ["Asia/Seoul", "Europe/London", "America/New_York", "UTC", "Asia/Kolkata"]


def sub(i: int, zone: str = "Asia/Seoul", at: str = "09:00", **kw: object) -> Subscription:
    return slack_sub(f"C{i:03d}", tz=zone, time=at, **kw)


def delivery(clock: FakeClock, poster: RecordingPoster) -> Delivery:
    r = aredis()
    return Delivery(r, KEYS, reader(r), poster, clock)


async def save(subs: list[Subscription], clock: FakeClock, early: float = 60) -> None:
    """Subscribe `early` seconds before the clock's time (so the first post is due at it)."""
    r = aredis()
    for s in subs:
        await Subscriptions(r, KEYS).save(s, now=clock.now().timestamp() - early)
    await r.aclose()


def test_a_day_of_delivery_to_many_channels(demo_day: BuiltDay) -> None:
    publish(demo_day)
    publish(redate(demo_day, date(2024, 10, 5)))  # 10-03 is never published: its posts are skipped
    start = datetime(2024, 10, 3, 12, 0, tzinfo=UTC)
    end = start + timedelta(days=2)
    subs = [
        sub(
            i,
            ZONES[i % 5],
            f"{(i * 7) % 24:02d}:{(i * 13) % 60:02d}",
            kinds=[["news"], ["papers"], ["news", "papers"]][i % 3],
            categories=["papers:llm"] if i % 4 == 0 else [],
        )
        for i in range(60)
    ]
    clock = FakeClock(start)
    poster = RecordingPoster()

    async def scenario() -> None:
        await save(subs, clock, early=0)
        d = delivery(clock, poster)
        while clock.now() < end:
            clock.advance(minutes=10)
            await d.tick()

    run(scenario())
    headers = Counter((sid, day) for sid, day, part in poster.sent if part == "header")
    expected = set()
    for s in subs:
        for day in (date(2024, 10, 3), date(2024, 10, 4), date(2024, 10, 5)):
            t = datetime.combine(day, time.fromisoformat(s.time), ZoneInfo(s.tz))
            if start < t <= end and day != date(2024, 10, 3):
                expected.add((s.sid, day.isoformat()))
    assert set(headers) == expected and set(headers.values()) == {1}
    parts = Counter(poster.sent)
    assert set(parts.values()) == {1}  # no part twice
    digest = demo_day.digests["en"]
    for s in subs:  # each post holds exactly the subscription's sections
        got = {p for sid, day, p in poster.sent if sid == s.sid and day == "2024-10-04"}
        if (s.sid, "2024-10-04") in expected:
            want = {f"{x.kind}:{x.category}" for x in digest.sections}
            want = {w for w in want if s.wants(*w.split(":"))}
            assert got == {"header", *want}


def test_a_post_waits_for_its_day_and_goes_out_when_it_is_ready(demo_day: BuiltDay) -> None:
    clock = FakeClock(datetime(2024, 10, 4, 0, 0, tzinfo=UTC))  # 09:00 in Seoul
    poster = RecordingPoster()

    async def scenario() -> list[str]:
        await save([sub(1)], clock)
        d = delivery(clock, poster)
        await d.start()
        outcomes = [*await d.tick()]
        clock.advance(minutes=1)
        outcomes += await d.tick()  # still waiting: parked, not due yet
        publish(demo_day)
        assert await d.wake_ready() == 1
        outcomes += await d.tick()
        return outcomes

    assert run(scenario()) == ["waiting", "posted"]
    assert Counter(p for _, _, p in poster.sent)["header"] == 1


def test_two_processes_post_each_subscription_once(demo_day: BuiltDay) -> None:
    publish(demo_day)
    clock = FakeClock(datetime(2024, 10, 4, 0, 0, tzinfo=UTC))
    a, b = RecordingPoster(), RecordingPoster()

    async def scenario() -> None:
        await save([sub(i) for i in range(40)], clock)
        await asyncio.gather(delivery(clock, a).tick(), delivery(clock, b).tick())

    run(scenario())
    sent = a.sent + b.sent
    assert len({sid for sid, _, _ in sent}) == 40
    assert set(Counter(sent).values()) == {1}


def test_a_failed_post_is_tried_again_and_a_closed_channel_waits_a_day(demo_day: BuiltDay) -> None:
    publish(demo_day)
    clock = FakeClock(datetime(2024, 10, 4, 0, 0, tzinfo=UTC))
    failures = {"slack:T1:C001": 1}

    async def fail(s: Subscription) -> None:
        if s.sid == "slack:T1:C002":
            raise PermanentError("channel_not_found")
        if failures.get(s.sid):
            failures[s.sid] -= 1
            raise ConnectionError("Slack is down")

    poster = RecordingPoster(fail)

    async def scenario() -> list[str]:
        await save([sub(1), sub(2)], clock)
        d = delivery(clock, poster)
        outcomes = sorted(await d.tick())
        clock.advance(minutes=5)
        outcomes += await d.tick()
        return outcomes

    assert run(scenario()) == ["retry", "skipped", "posted"]
    assert {sid for sid, _, _ in poster.sent} == {"slack:T1:C001"}

    async def recorded() -> tuple[dict[bytes, bytes], list[bytes]]:
        r = aredis()
        counts = await r.hgetall(KEYS.deliveries("slack", "2024-10-04"))
        failed = await r.lrange(KEYS.failures("slack"), 0, -1)
        await r.aclose()
        return counts, failed

    counts, failed = run(recorded())  # what `aidigest status` reports
    assert counts == {b"retry": b"1", b"skipped": b"1", b"posted": b"1"}
    assert len(failed) == 2 and b"channel_not_found" in b"".join(failed)
    assert b"Slack is down" in b"".join(failed)


def test_redis_away_mid_post_delivers_again_at_once_without_double_posting(
    demo_day: BuiltDay,
) -> None:
    """A Redis error in the middle of a post (our Redis restarting, not the platform failing)
    is tried again within seconds: the ledger resumes after the parts already sent."""
    publish(demo_day)
    clock = FakeClock(datetime(2024, 10, 4, 0, 0, tzinfo=UTC))
    away = {"times": 1}

    async def fail(s: Subscription) -> None:
        if poster.sent and away["times"]:  # after the header went out
            away["times"] -= 1
            raise RedisConnectionError("Connection closed by server.")

    class HalfwayPoster(RecordingPoster):
        async def post_digest(self, sub, digest, charts, ledger):  # type: ignore[no-untyped-def]
            await ledger.once("header", self._send(sub.sid, digest.date, "header"))
            await super().post_digest(sub, digest, charts, ledger)

    poster = HalfwayPoster(fail)

    async def scenario() -> list[str]:
        await save([sub(1)], clock)
        return await delivery(clock, poster).tick()

    assert run(scenario()) == ["posted"]
    parts = Counter(part for _, _, part in poster.sent)
    assert parts["header"] == 1 and set(parts.values()) == {1}


def test_a_stopping_process_hands_its_claims_back_at_once(demo_day: BuiltDay) -> None:
    """Stopped mid-post (a deploy), the loop returns within its grace and the unfinished
    subscriptions are due again now, not at the end of their lease; a second process finishes
    them without posting a part twice."""
    publish(demo_day)
    clock = FakeClock(datetime(2024, 10, 4, 0, 0, 30, tzinfo=UTC))
    stuck = asyncio.Event()

    async def hang(s: Subscription) -> None:
        stuck.set()
        await asyncio.Event().wait()  # a post that never ends (a slow Slack)

    async def scenario() -> tuple[float, list[float | None], float]:
        subs = [sub(i, at="09:00") for i in range(3)]
        await save(subs, clock, early=60)
        first = delivery(clock, RecordingPoster(fail=hang))
        first.config = replace(first.config, grace=0.2)
        stop = asyncio.Event()
        loop = asyncio.create_task(first.run(stop))
        await asyncio.wait_for(stuck.wait(), 5)
        claimed = [await first.due.score(s.sid) for s in subs]
        assert all((c or 0) > clock.now().timestamp() for c in claimed)  # leased
        started = asyncio.get_running_loop().time()
        stop.set()
        await asyncio.wait_for(loop, 5)
        took = asyncio.get_running_loop().time() - started
        scores = [await first.due.score(s.sid) for s in subs]
        second = delivery(clock, RecordingPoster())
        outcomes = await second.tick()
        return took, scores, float(outcomes.count("posted"))

    took, scores, posted = run(scenario())
    assert took < 1.0
    assert all(s is not None and s <= clock.now().timestamp() for s in scores)
    assert posted == 3
