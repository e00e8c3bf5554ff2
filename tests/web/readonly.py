"""A Redis user that may read and nothing else, for the site: the web process (issue 17: "no
page writes to Redis") is tested connecting as one, so a write anywhere fails loudly."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from redis import Redis


@contextmanager
def read_only_url(admin: Redis[bytes], redis_url: str) -> Iterator[str]:
    """`redis_url`'s database for a new user that can read and nothing else (removed after)."""
    name, password = f"web-reader-{secrets.token_hex(4)}", secrets.token_hex(16)
    admin.acl_setuser(
        name,
        enabled=True,
        passwords=[f"+{password}"],
        keys=["*"],
        commands=["+@read", "+@connection", "+select", "-@write"],
    )
    parts = urlsplit(redis_url)
    try:
        yield f"redis://{name}:{password}@{parts.hostname}:{parts.port}{parts.path}"
    finally:
        admin.acl_deluser(name)


def snapshot(redis: Redis[bytes]) -> dict[bytes, bytes | None]:
    """Every key of the database with its serialised value (DUMP): equal snapshots, nothing
    written (a time-to-live counting down is no change)."""
    return {key: redis.dump(key) for key in redis.scan_iter(count=1000)}


__all__ = ["read_only_url", "snapshot"]
