"""Deliver only for the guilds on this process's shards.

With DISCORD_SHARDS, each process sees (and has cached permissions for) only the guilds of its
shards, so it must claim only their subscriptions. This is bot/common's DueQueue with a claim
that first reads what is due, keeps this process's guilds, and claims exactly those in one Lua
call that re-checks each one is still due (another process may have claimed it meanwhile).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis

from bot.common.due import DueQueue
from core.store.codec import as_text
from core.store.keys import Keys

_CLAIM_THESE = """
local out = {}
for i = 3, #ARGV do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) <= tonumber(ARGV[1]) then
    redis.call('ZADD', KEYS[1], 'XX', ARGV[2], ARGV[i])
    table.insert(out, ARGV[i])
  end
end
return out
"""


def shard_of(guild_id: int, shard_count: int) -> int:
    """Discord's rule: which shard carries a guild's events."""
    return (guild_id >> 22) % shard_count


class ShardDueQueue(DueQueue):
    def __init__(
        self,
        redis: Redis[bytes],
        keys: Keys,
        platform: str,
        shard_count: int,
        shard_ids: Sequence[int],
    ) -> None:
        super().__init__(redis, keys, platform)
        self.shard_count = shard_count
        self.shard_ids = frozenset(shard_ids)
        self._claim_these = redis.register_script(_CLAIM_THESE)

    def mine(self, sid: str) -> bool:
        """sid is "discord:{guild}:{channel}"."""
        try:
            guild = int(sid.split(":")[1])
        except (IndexError, ValueError):
            return False
        return shard_of(guild, self.shard_count) in self.shard_ids

    async def claim(self, now: float, lease: float, limit: int) -> list[tuple[str, float]]:
        due: Sequence[Any] = await self.redis.zrangebyscore(self.key, "-inf", f"{now:.3f}")
        mine = [s for s in (as_text(d) for d in due) if self.mine(s)][:limit]
        if not mine:
            return []
        until = f"{now + lease:.3f}"
        got: Sequence[Any] = await self._claim_these(
            keys=[self.key], args=[f"{now:.3f}", until, *mine]
        )
        return [(as_text(s), float(until)) for s in got]
