"""Polite, bounded HTTP GET for the sources: size cap while streaming, retries on throttling."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

import httpx

USER_AGENT = "aidigest/0.1 (+https://github.com/aidigest/aidigest)"
RETRY_AFTER_CAP = 30.0  # never let a server park a daily job for long
_RETRY_STATUSES = frozenset({429, 503})

Sleep = Callable[[float], None]
Params = Mapping[str, str | int]


class SourceError(Exception):
    """A source could not be collected. The message is for people: it names the source and
    what went wrong, and never carries a traceback, a query string or a secret."""


def make_client(timeout: float = 20.0) -> httpx.Client:
    return httpx.Client(timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT})


def where(url: str) -> str:
    """host/path of a URL, for messages: no query string (it may carry keys), no scheme."""
    parts = urlsplit(url)
    return parts.netloc + parts.path if parts.netloc else url.split("?", 1)[0]


def _retry_after(response: httpx.Response, default: float) -> float:
    value = response.headers.get("Retry-After", "").strip()
    try:
        seconds = float(value)
    except ValueError:  # absent, or an HTTP date: fall back to our own backoff
        return min(default, RETRY_AFTER_CAP)
    return min(max(seconds, 0.0), RETRY_AFTER_CAP)


def _read_capped(response: httpx.Response, max_bytes: int, label: str) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise SourceError(
            f"{label}: the response is {int(declared):,} bytes, over the {max_bytes:,}-byte limit"
        )
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:  # stop reading: the rest never enters memory
            raise SourceError(f"{label}: the response is over the {max_bytes:,}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch_bytes(
    client: httpx.Client,
    url: str,
    *,
    params: Params | None = None,
    max_bytes: int = 8_000_000,
    retries: int = 3,
    backoff: float = 1.0,
    sleep: Sleep = time.sleep,
    source: str = "",
) -> bytes:
    """GET `url` and return its body. Retries (at most `retries` times, waiting backoff*2^n or
    the server's Retry-After) on 429/503 and on timeouts or connection failures; any other
    error status, an oversized body or giving up raises SourceError."""
    label = f"{source}: {where(url)}" if source else where(url)
    problem = ""
    for attempt in range(retries + 1):
        wait = backoff * 2**attempt
        try:
            with client.stream("GET", url, params=dict(params or {})) as response:
                status = response.status_code
                if status in _RETRY_STATUSES:
                    problem = f"HTTP {status} ({response.reason_phrase or 'busy'})"
                    wait = _retry_after(response, wait)
                elif status >= 400:
                    kind = "server error" if status >= 500 else "request refused"
                    raise SourceError(
                        f"{label}: HTTP {status} {response.reason_phrase} ({kind})".strip()
                    )
                else:
                    return _read_capped(response, max_bytes, label)
        except httpx.DecodingError as e:
            raise SourceError(f"{label}: the response could not be decoded") from e
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as e:  # a config error: no retry
            raise SourceError(f"{label}: not a fetchable http(s) URL") from e
        except httpx.TimeoutException:
            problem = "timed out"
        except httpx.TransportError as e:
            problem = f"connection failed ({type(e).__name__})"
        except httpx.RequestError as e:  # e.g. a redirect loop
            raise SourceError(f"{label}: request failed ({type(e).__name__})") from e
        if attempt < retries:
            sleep(wait)
    tries = "once" if retries == 0 else f"{retries + 1} times"
    raise SourceError(f"{label}: {problem}; tried {tries}, giving up")
