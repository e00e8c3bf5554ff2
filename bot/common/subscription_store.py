"""Subscriptions in Redis (keys: bot/common/keys.py). A save writes the subscription, its
workspace index and its next post time in one transaction, so the due set never names a
subscription that is not there (and a removal takes all three away together)."""

from __future__ import annotations

from datetime import UTC, datetime

from redis.asyncio import Redis

from bot.common.subscription import Subscription, without
from core.localtime import next_after
from core.query import UnsubscribeQuery
from core.store.codec import as_text
from core.store.keys import Keys


class Subscriptions:
    def __init__(self, redis: Redis[bytes], keys: Keys) -> None:
        self.redis = redis
        self.keys = keys

    async def get(self, sid: str) -> Subscription | None:
        raw = await self.redis.get(self.keys.sub(sid))
        return None if raw is None else Subscription.model_validate_json(raw)

    async def save(self, sub: Subscription, *, now: float) -> float:
        """Store `sub` and schedule its next post after `now` (epoch); returns that time."""
        when = next_after(sub.post_time, sub.tz, datetime.fromtimestamp(now, UTC)).timestamp()
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(self.keys.sub(sub.sid), sub.model_dump_json())
            pipe.sadd(self.keys.team(sub.platform, sub.team), sub.sid)
            pipe.zadd(self.keys.due(sub.platform), {sub.sid: when})
            await pipe.execute()
        return when

    async def delete(self, sub: Subscription) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(self.keys.sub(sub.sid))
            pipe.srem(self.keys.team(sub.platform, sub.team), sub.sid)
            pipe.zrem(self.keys.due(sub.platform), sub.sid)
            await pipe.execute()

    async def of_team(self, platform: str, team: str) -> list[Subscription]:
        sids = sorted(as_text(s) for s in await self.redis.smembers(self.keys.team(platform, team)))
        raws = await self.redis.mget([self.keys.sub(s) for s in sids]) if sids else []
        return [Subscription.model_validate_json(r) for r in raws if r is not None]

    async def remove_team(self, platform: str, team: str) -> int:
        """Forget every subscription of a workspace or guild (the app was uninstalled)."""
        subs = await self.of_team(platform, team)
        for sub in subs:
            await self.delete(sub)
        await self.redis.delete(self.keys.team(platform, team))
        return len(subs)

    async def apply_unsubscribe(
        self, sub: Subscription, q: UnsubscribeQuery, *, now: float
    ) -> Subscription | None:
        """What is left after `q` (None: the subscription is gone)."""
        left = without(sub, q)
        if left is None:
            await self.delete(sub)
        else:
            await self.save(left, now=now)
        return left
