"""Forget rendered pages when a day is published: follow the store's digest.ready stream.

A page is rendered once and served from memory until a day is published again (any day: the
newest day, the neighbours' links, the feed and the category pages all depend on which days
exist), so a busy archive renders each page once a day. The page cache's time-to-live is only a
backstop for a stream that cannot be read (Redis away): the follower then waits and retries.
Blocking reads stay short: redis-py 8 gives up reading a reply after 5 s whatever the command.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


async def follow_publishes(
    redis: Redis[bytes], events_key: str, on_publish: Callable[[], None], block_ms: int = 2_000
) -> None:
    """Call `on_publish()` after every new entry of `events_key`, until cancelled."""
    last: bytes | str | None = None
    while True:
        try:
            if last is None:
                newest = await redis.xrevrange(events_key, count=1)
                last = newest[0][0] if newest else "0-0"
            got = await redis.xread({events_key: last}, block=block_ms, count=100)
        except (RedisError, OSError) as e:
            log.warning("following %s failed (%s); pages expire by age meanwhile", events_key, e)
            await asyncio.sleep(5.0)
            continue
        entries = [entry for _stream, batch in got or [] for entry in batch]
        if entries:
            last = entries[-1][0]
            on_publish()


__all__ = ["follow_publishes"]
