"""Polite, bounded HTTP GET for the sources.

Every fetch has a total deadline (connect, every read, retries and redirects together, enforced
on the sockets by core/sources/watch.py), a size cap counted on the decompressed bytes
(core/sources/body.py), at most MAX_REDIRECTS redirects, http(s) only, and reaches only public
addresses unless the source allows private ones (core/sources/address.py). Throttling (429/503)
and network failures are retried while the deadline leaves time.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from core.sources.address import AddressPolicy, AllowPrivate, Refused
from core.sources.body import ACCEPTED_ENCODINGS, TooBig, Undecodable, read_capped
from core.sources.spec import SourceSpec
from core.sources.watch import Deadline, Watch

USER_AGENT = "aidigest/0.1 (+https://github.com/aidigest/aidigest)"
RETRY_AFTER_CAP = 30.0  # never let a server park a daily job for long
DEFAULT_DEADLINE = 30.0  # seconds for all of one source's requests (SourceSpec.deadline)
MAX_BYTES = 8_000_000
MAX_REDIRECTS = 5
_RETRY_STATUSES = frozenset({429, 503})
_SCHEMES = frozenset({"http", "https"})

Sleep = Callable[[float], None]
Params = Mapping[str, str | int]


class SourceError(Exception):
    """A source could not be collected. The message is for people: it names the source and
    what went wrong, and never carries a traceback, a query string or a secret."""


@dataclass(frozen=True)
class Fetched:
    body: bytes
    url: str  # after redirects
    content_type: str


class _Busy(Exception):
    """429/503: retry after the server's Retry-After (None: our own backoff)."""

    def __init__(self, problem: str, wait: float | None) -> None:
        super().__init__(problem)
        self.problem, self.wait = problem, wait


def make_client(timeout: float = 20.0) -> httpx.Client:
    """`timeout` bounds each connect and each read; fetch() adds the total deadline."""
    return httpx.Client(timeout=timeout, follow_redirects=False, headers={"User-Agent": USER_AGENT})


def where(url: str) -> str:
    """host/path of a URL, for messages: no query string (it may carry keys), no scheme."""
    parts = urlsplit(url)
    return parts.netloc + parts.path if parts.netloc else url.split("?", 1)[0]


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    try:
        seconds = float(value)
    except ValueError:  # absent, or an HTTP date: fall back to our own backoff
        return None
    return min(max(seconds, 0.0), RETRY_AFTER_CAP)


def _timeouts(client: httpx.Client, deadline: Deadline) -> dict[str, float]:
    """The client's per-phase timeouts, none longer than what is left of the deadline."""
    left = deadline.remaining()
    t = client.timeout
    phases = {"connect": t.connect, "read": t.read, "write": t.write, "pool": t.pool}
    return {k: min(v if v is not None else left, left) for k, v in phases.items()}


def _in_time(raw: Iterable[bytes], deadline: Deadline) -> Iterator[bytes]:
    for chunk in raw:
        if deadline.expired():
            raise httpx.ReadTimeout("deadline")
        yield chunk


@dataclass(frozen=True)
class _Want:
    """What the caller wants of the body."""

    max_bytes: int
    accept: Callable[[str], bool] | None  # by Content-Type; a refused type reads nothing
    truncate: bool  # over the cap: keep the first max_bytes instead of failing
    stop: tuple[bytes, ...]  # stop reading once one of these has arrived


def _read(response: httpx.Response, want: _Want, deadline: Deadline, label: str) -> Fetched:
    ctype = response.headers.get("Content-Type", "")
    url = str(response.url)
    if want.accept is not None and not want.accept(ctype):
        return Fetched(b"", url, ctype)
    declared = response.headers.get("Content-Length", "")
    encoding = response.headers.get("Content-Encoding", "")
    if declared.isdigit() and int(declared) > want.max_bytes and not want.truncate:
        raise SourceError(
            f"{label}: the response is {int(declared):,} bytes, over the "
            f"{want.max_bytes:,}-byte limit"
        )
    try:
        raw = _in_time(response.iter_raw(), deadline)
        body = read_capped(raw, encoding, want.max_bytes, truncate=want.truncate, stop=want.stop)
    except TooBig as e:
        raise SourceError(f"{label}: the response is {e}") from e
    except Undecodable as e:
        raise SourceError(f"{label}: the response could not be decoded ({e})") from e
    return Fetched(body, url, ctype)


def _check_target(
    request: httpx.Request, policy: AddressPolicy, label: str, redirected: bool
) -> None:
    """Refuse a scheme or an address before anything is sent there."""
    url = request.url
    hop = f"redirected to {where(str(url))}: " if redirected else ""
    if url.scheme not in _SCHEMES or not url.host:
        raise SourceError(f"{label}: {hop}not a fetchable http(s) URL")
    try:
        policy.check_host(url.host, url.port or (443 if url.scheme == "https" else 80))
    except Refused as e:
        raise SourceError(f"{label}: {hop}refused to connect: {e}") from e


def _follow(
    client: httpx.Client,
    request: httpx.Request,
    want: _Want,
    deadline: Deadline,
    policy: AddressPolicy,
    label: str,
) -> Fetched:
    """One attempt: the request and its redirects (at most MAX_REDIRECTS), read per `want`."""
    for hop in range(MAX_REDIRECTS + 1):
        _check_target(request, policy, label, redirected=hop > 0)
        request.extensions["timeout"] = _timeouts(client, deadline)
        response = client.send(request, stream=True, follow_redirects=False)
        try:
            if response.has_redirect_location and response.next_request is not None:
                request = response.next_request
                continue
            status = response.status_code
            if status in _RETRY_STATUSES:
                problem = f"HTTP {status} ({response.reason_phrase or 'busy'})"
                raise _Busy(problem, _retry_after(response))
            if status >= 400:
                kind = "server error" if status >= 500 else "request refused"
                raise SourceError(f"{label}: HTTP {status} {response.reason_phrase} ({kind})")
            return _read(response, want, deadline, label)
        finally:
            response.close()
    raise SourceError(f"{label}: more than {MAX_REDIRECTS} redirects; giving up")


def fetch(
    client: httpx.Client,
    url: str,
    *,
    params: Params | None = None,
    max_bytes: int = MAX_BYTES,
    retries: int = 3,
    backoff: float = 1.0,
    sleep: Sleep = time.sleep,
    source: str = "",
    deadline: Deadline | float = DEFAULT_DEADLINE,
    allow_private: AllowPrivate = False,
    accept: Callable[[str], bool] | None = None,
    truncate: bool = False,
    stop: tuple[bytes, ...] = (),
) -> Fetched:
    """GET `url` within `deadline` (seconds, or a Deadline shared by a source's requests).
    Retries (at most `retries` times, waiting backoff*2^n or the server's Retry-After) on
    429/503 and on timeouts or connection failures while the deadline leaves time; any other
    error status, an oversized body, a refused address or giving up raises SourceError."""
    label = f"{source}: {where(url)}" if source else where(url)
    limit = deadline if isinstance(deadline, Deadline) else Deadline(deadline)
    late = f"{label}: no complete answer within the {limit.seconds:g}-second deadline"
    policy = AddressPolicy.of(allow_private)
    want = _Want(max_bytes, accept, truncate, tuple(m.lower() for m in stop))
    headers = {"Accept-Encoding": ACCEPTED_ENCODINGS, "Connection": "close"}
    problem = ""
    with Watch(limit, policy) as watch:
        for attempt in range(retries + 1):
            wait = backoff * 2**attempt
            if limit.expired():
                raise SourceError(late)
            try:
                request = client.build_request(
                    "GET",
                    url,
                    params=dict(params or {}),
                    headers=headers,
                    extensions={"trace": watch.trace},
                )
                return _follow(client, request, want, limit, policy, label)
            except _Busy as e:
                problem = e.problem
                wait = min(wait, RETRY_AFTER_CAP) if e.wait is None else e.wait
            except Refused as e:  # the connected peer, checked again (DNS may have changed)
                raise SourceError(f"{label}: refused to connect: {e}") from e
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as e:  # a config error
                raise SourceError(f"{label}: not a fetchable http(s) URL") from e
            except (httpx.TimeoutException, httpx.TransportError, OSError) as e:
                if watch.fired or limit.expired():
                    raise SourceError(late) from e
                problem = _problem(e)
            except httpx.RequestError as e:  # e.g. a redirect loop
                raise SourceError(f"{label}: request failed ({type(e).__name__})") from e
            if attempt < retries:
                if wait >= limit.remaining():
                    raise SourceError(f"{late} ({problem})")
                sleep(wait)
    tries = "once" if retries == 0 else f"{retries + 1} times"
    raise SourceError(f"{label}: {problem}; tried {tries}, giving up")


def _problem(e: Exception) -> str:
    if isinstance(e, httpx.TimeoutException):
        return "timed out"
    if isinstance(e, socket.gaierror):
        return "connection failed (the host name does not resolve)"
    return f"connection failed ({type(e).__name__})"


def fetch_source(
    client: httpx.Client,
    spec: SourceSpec,
    *,
    params: Params | None = None,
    sleep: Sleep = time.sleep,
    deadline: Deadline | None = None,
) -> bytes:
    """The whole body of the source's URL, within its deadline (or `deadline`, shared by more of
    its requests) and its address policy."""
    return fetch(
        client,
        spec.url,
        params=params,
        sleep=sleep,
        source=spec.name,
        deadline=spec.deadline if deadline is None else deadline,
        allow_private=spec.allow_private,
    ).body
