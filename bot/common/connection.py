"""The bots' Redis connection: asyncio, bytes (charts are PNGs), and a pool that waits for a
free connection instead of failing when hundreds of posts and commands run at once."""

from __future__ import annotations

from typing import Any

from redis.asyncio import BlockingConnectionPool, Redis


def connect(url: str, max_connections: int = 128, timeout: float = 10.0) -> Redis[bytes]:
    pool: BlockingConnectionPool[Any] = BlockingConnectionPool.from_url(
        url, max_connections=max_connections, timeout=timeout
    )
    return Redis(connection_pool=pool, decode_responses=False)
