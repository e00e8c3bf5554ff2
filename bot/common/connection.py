"""The bots' Redis connection: asyncio, bytes (charts are PNGs), and a pool that waits for a
free connection instead of failing when hundreds of posts and commands run at once.

Commands are retried, with backoff, on connection errors: after Redis restarts, every pooled
connection is dead and fails its next command once ("Connection closed by server"), and Redis
may take a moment to answer again. Without the retry a daily post that met one would be given
up to its lease (minutes) although Redis was back. Timeouts are not retried: a blocking read
(XREAD BLOCK) longer than the socket timeout ends in one, and must end, not start over.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError

log = logging.getLogger(__name__)
RETRIES = 6  # 0.1 + 0.2 + 0.4 + 0.8 + 1.6 + 2 s: a restart, not an outage

try:  # redis-py >= 7 names itself to the server (CLIENT SETINFO) on every new connection
    from redis.driver_info import DriverInfo
except ImportError:  # pragma: no cover - older redis-py has no such lookup to save
    _DRIVER: dict[str, Any] = {}
else:  # ... and, unless handed one, reads its own version from the installed metadata each
    # time (about a millisecond): a burst of answers after a quiet spell opens dozens at once
    _DRIVER = {"driver_info": DriverInfo()}


def connect(url: str, max_connections: int = 128, timeout: float = 10.0) -> Redis[bytes]:
    pool: BlockingConnectionPool[Any] = BlockingConnectionPool.from_url(
        url,
        max_connections=max_connections,
        timeout=timeout,
        retry=Retry(ExponentialBackoff(cap=2.0, base=0.1), RETRIES, (ConnectionError,)),
        retry_on_error=[ConnectionError],
        **_DRIVER,
    )
    return Redis(connection_pool=pool, decode_responses=False)


# Redis connections opened at start: an answer holds one from its read until the event loop gets
# to the reply, so a burst of 50 answers held about 50 (bench/slack_profile.py saw 23-30 opened
# mid-answer by the first burst, 18 with 32 opened ahead, none with 64), as many as the
# Discord bot's pool holds
WARM_CONNECTIONS = 64


async def warm(
    redis: Redis[bytes], connections: int = WARM_CONNECTIONS, timeout: float = 1.0
) -> None:
    """Open `connections` of the pool at start, together, so that the first burst of requests
    does not open them one by one (a TCP connect and two CLIENT SETINFO round trips each, in
    the middle of answering). Redis away is no reason not to start: the pool opens them later."""
    pool = redis.connection_pool
    opening = [asyncio.ensure_future(pool.get_connection()) for _ in range(connections)]
    done, late = await asyncio.wait(opening, timeout=timeout)
    for t in late:
        t.cancel()
    await asyncio.gather(*late, return_exceptions=True)  # the pool takes back what it handed out
    opened = [t.result() for t in done if t.exception() is None]
    for c in opened:
        await pool.release(c)
    if len(opened) < connections:
        log.warning("opened %d of %d Redis connections ahead", len(opened), connections)
