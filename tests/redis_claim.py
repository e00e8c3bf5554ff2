"""A Redis database of this test process's own, found on a real server.

The server is AIDIGEST_TEST_REDIS (default redis://127.0.0.1:6379, as `.ci/run` starts it). The
first call of `url()` claims a database index for the whole process: one that is empty (or that an
earlier test run marked as its own), held by a named connection for as long as the process lives,
so two test runs at once (two checkouts, a developer and CI) never share a database. Tests flush it
around themselves through the root conftest's `redis_db` fixture.
"""

from __future__ import annotations

import os
import threading

from redis import Redis

SERVER = os.environ.get("AIDIGEST_TEST_REDIS", "redis://127.0.0.1:6379").rstrip("/")
MARK = "aidigest-test:owned"  # kept in a claimed database: a later run may take it again
_NAME = "aidigest-test-db-{n}"
_lock = threading.Lock()
_held: tuple[int, Redis[bytes]] | None = None


def _holders(r: Redis[bytes], name: str) -> list[int]:
    return sorted(int(c["id"]) for c in r.client_list() if c.get("name") == name)


def _claim() -> tuple[int, Redis[bytes]]:
    for n in range(15, 0, -1):  # from the top: 0 is where applications keep their data
        r: Redis[bytes] = Redis.from_url(f"{SERVER}/{n}", single_connection_client=True)
        name = _NAME.format(n=n)
        if _holders(r, name) or (r.dbsize() and not r.exists(MARK)):
            r.close()
            continue
        r.client_setname(name)
        if _holders(r, name)[0] != r.client_id():  # another run named it in the same instant
            r.close()
            continue
        r.flushdb()
        r.set(MARK, "1")
        return n, r
    raise RuntimeError(
        f"no free Redis database on {SERVER}: databases 1-15 hold data or are in use by other "
        "test runs. Point AIDIGEST_TEST_REDIS at another server."
    )


def db_index() -> int:
    global _held
    with _lock:
        if _held is None:
            _held = _claim()
        return _held[0]


def url() -> str:
    """redis://host:port/N of this process's database (claimed on the first call)."""
    return f"{SERVER}/{db_index()}"


def flush() -> None:
    """Empty this process's database, keeping the mark that makes it ours."""
    r: Redis[bytes] = Redis.from_url(url())
    with r.pipeline(transaction=True) as pipe:
        pipe.flushdb()
        pipe.set(MARK, "1")
        pipe.execute()
    r.close()
