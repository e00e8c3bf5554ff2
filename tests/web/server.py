"""The site on a real socket, in a thread of its own with its own event loop, for tests that
talk HTTP to it (urllib, feedparser, a browser). `make` builds the Site inside that loop, so
async Redis clients belong to it."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable

from aiohttp import web

from web import Site, make_app


class ServerThread:
    def __init__(self, make: Callable[[], Awaitable[Site]]) -> None:
        self._make = make
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="web-test-server", daemon=True)
        self._runner: web.AppRunner | None = None
        self.url = ""
        self.site: Site | None = None
        self.error: BaseException | None = None

    def start(self) -> ServerThread:
        self._thread.start()
        if not self._ready.wait(30):
            raise TimeoutError("the web server did not start within 30 s")
        if self.error is not None:
            raise self.error
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._serve())
        except BaseException as e:  # reported to the test through start()
            self.error = e
            self._ready.set()
            return
        self._ready.set()
        self._loop.run_forever()

    async def _serve(self) -> None:
        self.site = await self._make()
        self._runner = web.AppRunner(make_app(self.site), access_log=None)
        await self._runner.setup()
        tcp = web.TCPSite(self._runner, "127.0.0.1", 0)
        await tcp.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        async def close() -> None:
            if self._runner is not None:
                await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
