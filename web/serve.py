"""Running the site: one process, or several sharing one listening socket (pre-fork).

Python renders a page on one core; on a machine with more, `workers` processes share the
socket the parent bound, and the kernel hands each connection to one of them. Each worker
builds its own Site (its own Redis connections and caches) after the fork. The parent only
waits: SIGTERM or SIGINT to it stops every worker, and a worker that dies stops the rest, so a
supervisor (systemd, a Procfile runner) sees the failure and restarts the whole service.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
from collections.abc import Awaitable, Callable

from aiohttp import web

from core import event_loop, heap
from web.routes import make_app
from web.site import Site

SiteFactory = Callable[[], Awaitable[Site]]


def listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    sock.setblocking(False)
    return sock


async def serve_on(sock: socket.socket, make_site: SiteFactory, parent: int = 0) -> None:
    """Serve on an already bound socket until SIGTERM or SIGINT (or, for a worker, until its
    `parent` is gone: a killed parent must not leave workers serving on their own)."""
    runner = web.AppRunner(make_app(await make_site()), access_log=None)
    await runner.setup()
    heap.settle()  # built: what exists now lives as long as the worker
    await web.SockSite(runner, sock).start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 1.0)
            if parent and os.getppid() != parent:
                break
    finally:
        await runner.cleanup()


def run(make_site: SiteFactory, host: str, port: int, workers: int = 1) -> None:
    """Serve `host:port` with `workers` processes (1: this one)."""
    sock = listen(host, port)
    if workers <= 1:
        event_loop.run(serve_on(sock, make_site))
        return
    children = []
    me = os.getpid()
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # a worker: serve, then leave without running the parent's cleanup
            code = 0
            try:
                event_loop.run(serve_on(sock, make_site, parent=me))
            except BaseException:
                code = 1
            os._exit(code)
        children.append(pid)
    sock.close()

    def stop_all(*_: object) -> None:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop_all)
    signal.signal(signal.SIGINT, stop_all)
    with contextlib.suppress(ChildProcessError):
        while children:
            pid, _status = os.wait()
            if pid in children:
                children.remove(pid)
                stop_all()  # one worker gone: take the rest down with it


__all__ = ["listen", "run", "serve_on"]
