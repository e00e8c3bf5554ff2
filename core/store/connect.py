"""Opening Redis from a URL, waiting for it, and saying what is wrong with it in words an
operator can act on: every message says "Redis" and shows the URL with its password masked
(redis://:***@host:6379/0), never the password.

`wait_for` is how a long-running process rides out an outage of any length: it logs one line
when Redis stops answering (and why), one when the reason changes, one when it is back, and
backs off in between; given `give_up` seconds it returns False instead of waiting on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

from redis import Redis
from redis.exceptions import AuthenticationError, RedisError, ResponseError

BACKOFF_CAP = 30.0  # seconds between two pings, at most


class RedisUnavailable(Exception):
    """Redis cannot be used; the message says why, with the URL masked."""


def masked(url: str) -> str:
    """The URL with any password (and user name) replaced by ***."""
    try:
        parts = urlsplit(url)
        if parts.password is None and parts.username is None:
            return url
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # a port that is not a number: mask everything before the host
        return url.split("://", 1)[0] + "://***@" + url.rsplit("@", 1)[-1] if "@" in url else url
    return urlunsplit(parts._replace(netloc=f":***@{host}{port}"))


def problem(error: BaseException, url: str) -> str:
    """What went wrong, for people: '<Redis at URL> <is unreachable | refused …> (detail)'."""
    where = f"Redis at {masked(url)}"
    detail = str(error).replace(urlsplit(url).password or "\0", "***")[:200]
    if isinstance(error, AuthenticationError) or (
        isinstance(error, ResponseError) and "auth" in str(error).lower()
    ):
        return f"{where} refused the password ({detail})"
    if isinstance(error, RedisError):
        return f"{where} is unreachable ({type(error).__name__}: {detail})"
    return f"{where} failed ({type(error).__name__}: {detail})"


def open_redis(url: str) -> Redis[bytes]:
    """A client for `url` (nothing is sent yet); RedisUnavailable if it is not a Redis URL."""
    try:
        return Redis.from_url(url)
    except ValueError as e:
        raise RedisUnavailable(f"REDIS_URL {masked(url)} is not a Redis URL ({e})") from e


def open_or_log(url: str, log: logging.Logger) -> Redis[bytes] | None:
    """`open_redis`, for a process starting up: None after logging why (its exit status is 2)."""
    try:
        return open_redis(url)
    except RedisUnavailable as e:
        log.error("%s", e)
        return None


def check(redis: Redis[bytes], url: str) -> None:
    """Ping once; RedisUnavailable says why Redis does not answer."""
    try:
        redis.ping()
    except RedisError as e:
        raise RedisUnavailable(problem(e, url)) from e


def wait_for(
    redis: Redis[bytes],
    url: str,
    log: logging.Logger,
    *,
    give_up: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> bool:
    """Ping until Redis answers (True), or for at most `give_up` seconds (False)."""
    started, backoff, said = clock(), 1.0, ""
    while True:
        try:
            redis.ping()
        except RedisError as e:
            why = problem(e, url)
            if why != said:  # one line per state change, not one per ping
                log.warning("%s; waiting for it", why)
                said = why
            waited = clock() - started
            if give_up is not None and waited + backoff > give_up:
                log.error("%s; gave up after %.0f s", why, waited)
                return False
            sleep(backoff)
            backoff = min(backoff * 2, BACKOFF_CAP)
            continue
        if said:
            log.warning("Redis at %s answers again after %.0f s", masked(url), clock() - started)
        return True
