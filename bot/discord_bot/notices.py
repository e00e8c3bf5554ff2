"""What a server's admins should know about its daily posts: a channel that was deleted (its
subscription removed with it), a message of a post that may be missing. Kept per guild, newest
first, and shown by `/aidigest subscriptions`.

    {p}:discord:notices:{guild}   list of JSON {"at", "channel", "text"}, newest first
                                  (the newest KEEP, for RETENTION; core/store/keys.py)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from redis.asyncio import Redis

from core.store.keys import Keys

KEEP = 20
RETENTION = 30 * 24 * 3600  # seconds


@dataclass(frozen=True)
class Notice:
    at: str  # ISO 8601
    channel: str  # the channel's id
    text: str  # one sentence, our own words (channel names are shown as #name, escaped)

    def line(self) -> str:
        return f"{self.at[:10]}: {self.text}"


class Notices:
    def __init__(self, redis: Redis[bytes], keys: Keys) -> None:
        self.redis = redis
        self.keys = keys

    async def add(self, guild: str, channel: str, text: str, at: datetime) -> None:
        key = self.keys.discord_notices(guild)
        entry = json.dumps({"at": at.isoformat(), "channel": channel, "text": text})
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.lpush(key, entry)
            pipe.ltrim(key, 0, KEEP - 1)
            pipe.expire(key, RETENTION)
            await pipe.execute()

    async def recent(self, guild: str, limit: int = 5) -> list[Notice]:
        raws = await self.redis.lrange(self.keys.discord_notices(guild), 0, limit - 1)
        return [Notice(**json.loads(r)) for r in raws]
