"""A real local HTTP server standing in for an OpenAI-compatible chat completions API.

  POST /v1/chat/completions   a classification (<items> block) or a section summary (<sources>)
  POST /_faults               {"faults": [{"kind": …, "times": N, "match": …, "rate": r}],
                               "latency": s, "dialect": d, "context_tokens": n, "models": [...],
                               "clear": true, "reset": true}: set at runtime, from any process
  GET  /_stats                calls, in flight, max concurrent, latency, dialect, faults left
  GET  /_requests             every request body received, in order

Answers are deterministic, derived from the prompt alone (tests/doubles/llm_classify.py and
llm_summary.py). The server speaks one dialect at a time (tests/doubles/llm_dialects.py:
openai, ollama, vllm, llamacpp, plain): how it takes response_format, what it refuses and how its
errors look. Without a constraint to a schema it answers in a code fence, as chat models do.
`context_tokens` is the model's window: over it, a request is refused or (ollama) silently cut.
An answer longer than the request's max_tokens is cut off (finish_reason "length"). `usage`
counts tokens roughly as a tokenizer does.

Faults (`Fault.kind`): 401 (echoing the key), 429 (with Retry-After), 500, hang (longer than a
client's timeout), malformed (content that is not JSON), loop (a model repeating itself up to
max_tokens), unknown_ids, missing_ids, list_order (classification labels walking down the
category list), and the sloppy summaries of llm_summary.SLOPPY. A fault
answers the first `times` matching calls (None: every one) whose prompt contains `match`, whose
task is `schema` ("classification" or "section_summary", when given), and — with `rate` < 1 —
a deterministic share of prompts (a retry's prompt differs, so it draws again).

Run as a process: python -m tests.doubles.llm_server --port 8766 [--latency 1.0] [--dialect d]
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import threading
import time
from dataclasses import asdict
from typing import Any

from aiohttp import web

from tests.doubles import llm_dialects as dialects
from tests.doubles.llm_faults import Fault
from tests.doubles.llm_replies import completion, content, prompt_of, seen_by_model, task_of


class LLMServer:
    """The stand-in; `start()` serves it from a background thread (or use `with`)."""

    def __init__(
        self,
        latency: float = 0.0,
        host: str = "127.0.0.1",
        port: int = 0,
        dialect: str = "openai",
        context_tokens: int = 0,
        models: tuple[str, ...] = (),
    ) -> None:
        self.latency = latency
        self.host, self.port = host, port
        self.dialect = dialect
        self.context_tokens = context_tokens  # 0: ample
        self.models = models  # the models it serves; empty: any name
        self._lock = threading.Lock()
        self.faults: list[Fault] = []
        self.requests: list[dict[str, Any]] = []
        self.arrivals: list[float] = []  # time.monotonic() of each request, as `requests`
        self.calls = self.in_flight = self.max_concurrent = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None

    # --- control (tests call these; other processes POST /_faults) -----------------------------

    def set_latency(self, seconds: float) -> None:
        self.latency = seconds

    def set_dialect(self, dialect: str) -> None:
        if dialect not in dialects.DIALECTS:
            raise ValueError(f"unknown dialect {dialect!r}; known: {list(dialects.DIALECTS)}")
        self.dialect = dialect

    def add_fault(self, kind: str, **options: Any) -> Fault:
        fault = Fault(kind, **options)
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def reset(self) -> None:
        """No faults, no records, no latency, counters at zero, the openai dialect, any model."""
        with self._lock:
            self.faults.clear()
            self.requests.clear()
            self.arrivals.clear()
            self.calls = self.max_concurrent = 0  # in_flight stays true: it is live
            self.latency = 0.0
            self.dialect, self.context_tokens, self.models = "openai", 0, ()

    def prompts(self, schema: str = "") -> list[str]:
        """The recorded prompts (all messages joined), optionally of one task only."""
        return [prompt_of(r) for r in self.requests if not schema or task_of(r) == schema]

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {
                "calls": self.calls,
                "in_flight": self.in_flight,
                "max_concurrent": self.max_concurrent,
                "latency": self.latency,
                "dialect": self.dialect,
                "context_tokens": self.context_tokens,
                "faults": [asdict(f) for f in self.faults],
            }

    def _take(self, task: str, prompt: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.matches(task, prompt):
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None

    # --- HTTP -------------------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_get("/v1/models", self._models)
        app.router.add_post("/_faults", self._set_faults)
        app.router.add_get("/_stats", self._stats)
        app.router.add_get("/_requests", self._requests)
        return app

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        dialect = self.dialect
        try:
            body = await request.json()
            messages = body["messages"]
        except (ValueError, KeyError, TypeError):
            return dialects.error(dialect, 400, "the body is not a chat completion request")
        task, prompt = task_of(body), prompt_of(body)
        with self._lock:
            self.calls += 1
            self.requests.append(body)
            self.arrivals.append(time.monotonic())
            self.in_flight += 1
            self.max_concurrent = max(self.max_concurrent, self.in_flight)
        try:
            await asyncio.sleep(self.latency)
            refused = dialects.refusal(dialect, body, self.models)
            if refused is not None:
                return refused
            max_tokens = int(body.get("max_tokens") or body.get("max_completion_tokens") or 0)
            prompt_tokens = dialects.tokens(prompt)
            over = dialects.too_long(dialect, prompt_tokens, max_tokens, self.context_tokens)
            if over is not None:
                return over
            fault = self._take(task, prompt)
            kind = fault.kind if fault is not None else ""
            if kind == "429":
                headers = {"Retry-After": f"{fault.retry_after:g}"} if fault else {}
                response = dialects.error(dialect, 429, "slow down", "rate_limit_exceeded")
                response.headers.update(headers)
                return response
            if kind == "401":  # echoes the key, as some servers do
                key = request.headers.get("Authorization", "").removeprefix("Bearer ")
                return dialects.error(dialect, 401, f"Incorrect API key provided: {key}.")
            if kind == "500":
                return dialects.error(dialect, 500, "the stand-in failed", "server_error")
            if kind == "hang" and fault is not None:
                await asyncio.sleep(fault.hang)
            seen = seen_by_model(messages, prompt_tokens, dialect, self.context_tokens)
            text = content(task, body, seen, prompt, kind, dialects.held_to(dialect, body))
            return web.json_response(completion(body, prompt_tokens, text, max_tokens))
        finally:
            with self._lock:
                self.in_flight -= 1

    async def _models(self, request: web.Request) -> web.Response:
        names = self.models or ("stand-in",)
        data = [{"id": m, "object": "model"} for m in names]
        return web.json_response({"object": "list", "data": data})

    async def _set_faults(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
            if body.get("reset"):
                self.reset()
            if body.get("clear"):
                self.clear_faults()
            if "latency" in body:
                self.set_latency(float(body["latency"]))
            if "dialect" in body:
                self.set_dialect(str(body["dialect"]))
            if "context_tokens" in body:
                self.context_tokens = int(body["context_tokens"])
            if "models" in body:
                self.models = tuple(str(m) for m in body["models"])
            for spec in body.get("faults", []):
                self.add_fault(**spec)
        except (ValueError, TypeError) as e:
            return dialects.error(self.dialect, 400, str(e))
        return web.json_response(self.stats())

    async def _stats(self, request: web.Request) -> web.Response:
        return web.json_response(self.stats())

    async def _requests(self, request: web.Request) -> web.Response:
        with self._lock:
            return web.json_response(list(self.requests))

    # --- lifecycle --------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return self.url + "/v1"

    def start(self) -> LLMServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        loop = asyncio.new_event_loop()
        ready = threading.Event()

        async def serve() -> None:
            self._runner = web.AppRunner(
                self.app(), handler_cancellation=True, shutdown_timeout=0.5
            )
            await self._runner.setup()
            await web.SockSite(self._runner, sock).start()
            ready.set()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.run_until_complete(serve())
            loop.run_forever()
            loop.close()

        self._loop = loop
        self._thread = threading.Thread(target=run, name="llm-stand-in", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the LLM stand-in did not start")
        return self

    def stop(self) -> None:
        loop, runner = self._loop, self._runner
        if loop is None or runner is None:
            return
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._loop = self._runner = self._thread = None

    def __enter__(self) -> LLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--dialect", default="openai", choices=dialects.DIALECTS)
    parser.add_argument("--context-tokens", type=int, default=0, help="the model's window")
    args = parser.parse_args()
    server = LLMServer(
        latency=args.latency,
        host=args.host,
        port=args.port,
        dialect=args.dialect,
        context_tokens=args.context_tokens,
    )
    print(
        f"LLM stand-in on {server.base_url} (latency {args.latency:g} s, {args.dialect})",
        flush=True,
    )
    web.run_app(
        server.app(),
        host=args.host,
        port=args.port,
        print=None,
        access_log=None,
        handler_cancellation=True,
        shutdown_timeout=0.5,
    )


if __name__ == "__main__":
    main()
