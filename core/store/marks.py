"""The watermarks in Redis (core/watermarks.py's store for the workers, and the CLI with Redis).

    {p}:mark:{source}     JSON Mark (core/watermark_codec.py)
    {p}:window:{date}     hash: source -> JSON Take; expires with the day (retention)
    {p}:shown             sorted set: item id -> the day it was first shown, as a date ordinal

`commit` is compare-and-set: WATCH the source's mark and the day's window, refuse when the mark
moved or the day already has a take for the source, else write mark, take and shown ids in one
MULTI/EXEC (another source writing the same day's window meanwhile only makes it look again).
Shown ids older than SHOWN_DAYS are dropped as new ones are added.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from redis import Redis, WatchError

from core.store.codec import as_text
from core.store.keys import Keys
from core.watermark import Mark, Take
from core.watermark_codec import load_mark, load_take, mark_json, take_json

SHOWN_DAYS = 60  # how long an item counts as shown (an HF listing of it weeks later is news)


class RedisWatermarks:
    def __init__(self, redis: Redis[bytes], keys: Keys, retention_days: int) -> None:
        self.redis, self.keys, self.ttl = redis, keys, retention_days * 24 * 3600

    def mark(self, source: str) -> Mark:
        raw = self.redis.get(self.keys.mark(source))
        return load_mark(_json(raw), f"{self.keys.mark(source)}") if raw else Mark()

    def recorded(self, day: str, source: str) -> Take | None:
        raw = self.redis.hget(self.keys.window(day), source)
        return load_take(_json(raw), f"{self.keys.window(day)} {source}") if raw else None

    def takes(self, day: str) -> dict[str, Take]:
        """Every source's take of the day (what the day's window was)."""
        raw = self.redis.hgetall(self.keys.window(day))
        return {as_text(k): load_take(_json(v), as_text(k)) for k, v in raw.items()}

    def shown(self, ids: Sequence[str]) -> dict[str, str]:
        if not ids:
            return {}
        scores: list[Any] = self.redis.execute_command("ZMSCORE", self.keys.shown, *ids)
        return {
            i: date.fromordinal(int(float(s))).isoformat()
            for i, s in zip(ids, scores, strict=True)
            if s is not None
        }

    def commit(self, taken: Take, mark: Mark, expected: Mark) -> bool:
        mark_key, window_key = self.keys.mark(taken.source), self.keys.window(taken.day)
        day = date.fromisoformat(taken.day).toordinal()
        with self.redis.pipeline(transaction=True) as pipe:
            while True:  # another source's commit to the same day's window: look again
                try:
                    pipe.watch(mark_key, window_key)
                    raw: Any = pipe.get(mark_key)
                    current = load_mark(_json(raw), mark_key) if raw else Mark()
                    if current != expected or pipe.hexists(window_key, taken.source):
                        pipe.unwatch()
                        return False
                    pipe.multi()
                    pipe.set(mark_key, mark_json(mark))
                    pipe.hset(window_key, taken.source, take_json(taken))
                    pipe.expire(window_key, self.ttl)
                    if taken.ids:  # LT: an id keeps the first day that showed it
                        pipe.zadd(self.keys.shown, dict.fromkeys(taken.ids, day), lt=True)
                    oldest = (date.fromordinal(day) - timedelta(days=SHOWN_DAYS)).toordinal()
                    pipe.zremrangebyscore(self.keys.shown, "-inf", f"({oldest}")
                    pipe.execute()
                    return True
                except WatchError:
                    continue


def _json(raw: Any) -> Any:
    return json.loads(as_text(raw))
