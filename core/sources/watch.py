"""A total deadline for a source's requests, and the watch that enforces it on live sockets.

Per-read timeouts cannot stop a server that sends one byte every two seconds: every read
succeeds. So each request's sockets are watched: when the deadline passes, a timer shuts them
down, which wakes a blocked read at once (connect, headers or body alike). The same hook checks
each new connection's peer address against the source's AddressPolicy.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any

from core.sources.address import AddressPolicy

Clock = Callable[[], float]


class Deadline:
    """`seconds` from now, for everything one source fetches."""

    def __init__(self, seconds: float, clock: Clock = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._ends = clock() + seconds

    def remaining(self) -> float:
        return max(0.0, self._ends - self._clock())

    def expired(self) -> bool:
        return self.remaining() <= 0.0


class Watch:
    """`with Watch(deadline, policy) as w:` pass `w.trace` as the request's "trace" extension.

    `fired` tells afterwards whether the deadline cut the connection (whatever error the
    cut surfaced as); `refused` holds the reason a peer was refused, if one was."""

    def __init__(self, deadline: Deadline, policy: AddressPolicy) -> None:
        self._deadline = deadline
        self._policy = policy
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(deadline.remaining(), self._cut)
        self._timer.daemon = True
        self.fired = False

    def __enter__(self) -> Watch:
        self._timer.start()
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._timer.cancel()

    def trace(self, event: str, info: Mapping[str, Any]) -> None:
        """httpcore's trace hook: sees every new TCP connection before anything is sent on it."""
        if event != "connection.connect_tcp.complete":
            return
        stream = info["return_value"]
        sock = stream.get_extra_info("socket")
        if not isinstance(sock, socket.socket):
            return
        try:
            self._policy.check_ip(str(sock.getpeername()[0]))
        except Exception:
            stream.close()
            raise
        with self._lock:
            self._sockets.append(sock)
            late = self.fired
        if late:
            _shut(sock)

    def _cut(self) -> None:
        with self._lock:
            self.fired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)  # wakes a read blocked in another thread; close does not
