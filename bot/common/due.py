"""The due set of one platform: subscription id -> next post time (epoch seconds), claimed
atomically so two bot processes never post the same subscription.

Claiming moves each due entry's score to a lease end (now + lease) in one Lua call: another
claimer sees it as not due, and if the claimer dies, the entry comes back when the lease ends.
The lease end doubles as a fencing token: `release` reschedules only if the score is still the
claimer's lease, so a claimer whose lease ran out (and was re-claimed) or a subscription changed
or removed meanwhile is left alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis

from core.store.codec import as_text
from core.store.keys import Keys

_CLAIM = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])
for _, sid in ipairs(due) do redis.call('ZADD', KEYS[1], 'XX', ARGV[2], sid) end
return due
"""
_RELEASE = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], 'XX', ARGV[3], ARGV[1])
  if KEYS[2] then
    redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
    redis.call('EXPIRE', KEYS[2], ARGV[4])
  end
  return 1
end
return 0
"""
# Wake the subscriptions parked until a day's digest was ready, unless they moved since.
_WAKE = """
local parked = redis.call('HGETALL', KEYS[2])
local n = 0
for i = 1, #parked, 2 do
  local score = redis.call('ZSCORE', KEYS[1], parked[i])
  if score and tonumber(score) == tonumber(parked[i + 1]) then
    redis.call('ZADD', KEYS[1], 'XX', ARGV[1], parked[i]); n = n + 1
  end
end
redis.call('DEL', KEYS[2])
return n
"""
WAITING_TTL = 3 * 24 * 3600


class DueQueue:
    def __init__(self, redis: Redis[bytes], keys: Keys, platform: str) -> None:
        self.redis = redis
        self.keys = keys
        self.key = keys.due(platform)
        self.platform = platform
        self._claim = redis.register_script(_CLAIM)
        self._release = redis.register_script(_RELEASE)
        self._wake = redis.register_script(_WAKE)

    async def claim(self, now: float, lease: float, limit: int) -> list[tuple[str, float]]:
        """Up to `limit` subscriptions due at `now`, each with its lease token."""
        until = _score(now + lease)
        got: Sequence[Any] = await self._claim(keys=[self.key], args=[_score(now), until, limit])
        return [(as_text(s), float(until)) for s in got]

    async def release(self, sid: str, lease: float, when: float) -> bool:
        """Next post at `when`, if the claim still holds."""
        return bool(await self._release(keys=[self.key], args=[sid, _score(lease), _score(when)]))

    async def park(self, sid: str, lease: float, when: float, day: str) -> bool:
        """Check again at `when`, or as soon as `day` is published (see `wake`)."""
        keys = [self.key, self.keys.waiting(self.platform, day)]
        args: list[str | int] = [sid, _score(lease), _score(when), WAITING_TTL]
        return bool(await self._release(keys=keys, args=args))

    async def wake(self, day: str, now: float) -> int:
        """Make the subscriptions parked for `day` due now; how many woke."""
        keys = [self.key, self.keys.waiting(self.platform, day)]
        return int(await self._wake(keys=keys, args=[_score(now)]))

    async def next_time(self) -> float | None:
        first = await self.redis.zrange(self.key, 0, 0, withscores=True)
        return float(first[0][1]) if first else None

    async def score(self, sid: str) -> float | None:
        s = await self.redis.zscore(self.key, sid)
        return None if s is None else float(s)


def _score(t: float) -> str:
    """Millisecond precision, so a lease token reads back exactly what was written."""
    return f"{t:.3f}"
