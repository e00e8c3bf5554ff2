"""A TCP proxy in front of the real Redis that can be made slow: every command a client sends
waits `delay` seconds before it reaches Redis (a loaded server, a far network). Real sockets both
ways; only the bot under test connects through it."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from urllib.parse import urlsplit


class SlowRedis:
    def __init__(self, redis_url: str) -> None:
        parts = urlsplit(redis_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 6379
        self.db = parts.path.lstrip("/") or "0"
        self.delay = 0.0
        self.listen_port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.listen_port}/{self.db}"

    def start(self) -> SlowRedis:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(5)
        return self

    async def _serve(self) -> None:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        self.listen_port = self._server.sockets[0].getsockname()[1]

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_r, up_w = await asyncio.open_connection(self.host, self.port)
        await asyncio.gather(self._pipe(reader, up_w, slow=True), self._pipe(up_r, writer))

    async def _pipe(
        self, src: asyncio.StreamReader, dst: asyncio.StreamWriter, *, slow: bool = False
    ) -> None:
        with contextlib.suppress(ConnectionError):
            while chunk := await src.read(65536):
                if slow and self.delay:
                    await asyncio.sleep(self.delay)
                dst.write(chunk)
                await dst.drain()
        dst.close()

    def stop(self) -> None:
        if self._server is not None:
            self._loop.call_soon_threadsafe(self._server.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
