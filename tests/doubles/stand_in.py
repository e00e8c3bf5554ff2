"""A local HTTP stand-in served by a thread: what the source and schedule stand-ins share."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Generic, Self, TypeVar

Owner = TypeVar("Owner")


class OwnedServer(ThreadingHTTPServer, Generic[Owner]):
    """The HTTP server; its handlers reach the stand-in as `self.server.owner`."""

    daemon_threads = True  # a hanging handler must not keep the process (or close) waiting
    block_on_close = False
    owner: Owner


class StandIn:
    """Serves `handler` on host:port (0 picks a free port): `with Server(…) as s:` in a thread
    until the block ends, `run()` in a process. `stopping` is set on stop, to wake handlers
    that hang on purpose."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], host: str, port: int) -> None:
        self.stopping = threading.Event()
        self._httpd: OwnedServer[Self] = OwnedServer((host, port), handler)
        self._httpd.owner = self
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._thread is not None:
            self._httpd.shutdown()
        self._httpd.server_close()

    def run(self, name: str) -> None:
        """Serve in this thread until interrupted, having said where."""
        print(f"{name} listening on {self.url}", flush=True)
        try:
            self._httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
