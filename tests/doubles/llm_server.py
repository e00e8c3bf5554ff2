"""A real local HTTP server standing in for an OpenAI-compatible chat completions API.

  POST /v1/chat/completions   response_format json_schema: "classification" or "section_summary"
  POST /_faults               {"faults": [{"kind": …, "times": N, "match": …}], "latency": s,
                               "clear": true, "reset": true}: set at runtime, from any process
  GET  /_stats                calls, in flight, max concurrent, latency, faults left
  GET  /_requests             every request body received, in order

Answers are deterministic, derived from the prompt alone: a classification labels each item of
the <items> block by the taxonomy's keywords; a summary quotes the numbered <sources> it was
given, in the language the system message asks for (Korean template text for ko), citing [n].
`usage` counts tokens as characters / 4.

Faults (`Fault.kind`): 401 (echoing the key), 429 (with Retry-After), 500, hang (longer than a
client's timeout), malformed (content that is not JSON), unknown_ids, missing_ids, list_order
(classification labels walking down the category list), bad_citations, wrong_language,
empty_part. A fault answers the first `times` matching calls (None: every one),
matching calls whose prompt contains `match` and whose schema name is `schema` (when given).

Run as a process: python -m tests.doubles.llm_server --port 8766 [--latency 1.0]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import re
import socket
import threading
import time
from dataclasses import asdict, dataclass
from typing import Any

from aiohttp import web

from core.items import KINDS
from core.taxonomy import Category, load_taxonomy

FAULT_KINDS = frozenset(
    {
        *("401", "429", "500", "hang", "malformed"),
        *("unknown_ids", "missing_ids", "list_order", "bad_citations", "wrong_language"),
        "empty_part",
    }
)


@dataclass
class Fault:
    kind: str
    times: int | None = None  # the first N matching calls; None = every matching call
    match: str = ""  # only calls whose prompt (all messages) contains this
    schema: str = ""  # only calls with this response_format name
    retry_after: float = 1.0  # seconds, for 429
    hang: float = 30.0  # seconds a hang lasts before the answer comes

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; known: {sorted(FAULT_KINDS)}")

    def matches(self, schema: str, prompt: str) -> bool:
        if self.times is not None and self.times <= 0:
            return False
        if self.schema and self.schema != schema:
            return False
        return self.match in prompt


class LLMServer:
    """The stand-in; `start()` serves it from a background thread (or use `with`)."""

    def __init__(self, latency: float = 0.0, host: str = "127.0.0.1", port: int = 0) -> None:
        self.latency = latency
        self.host, self.port = host, port
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

    def add_fault(self, kind: str, **options: Any) -> Fault:
        fault = Fault(kind, **options)
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def reset(self) -> None:
        """No faults, no records, no latency, counters at zero."""
        with self._lock:
            self.faults.clear()
            self.requests.clear()
            self.arrivals.clear()
            self.calls = self.max_concurrent = 0  # in_flight stays true: it is live
            self.latency = 0.0

    def prompts(self, schema: str = "") -> list[str]:
        """The recorded prompts (all messages joined), optionally of one schema name only."""
        return [_prompt(r) for r in self.requests if not schema or _schema_name(r) == schema]

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {
                "calls": self.calls,
                "in_flight": self.in_flight,
                "max_concurrent": self.max_concurrent,
                "latency": self.latency,
                "faults": [asdict(f) for f in self.faults],
            }

    def _take(self, schema: str, prompt: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.matches(schema, prompt):
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
        try:
            body = await request.json()
            messages = body["messages"]
        except (ValueError, KeyError, TypeError):
            return _error(400, "invalid_request_error", "the body is not a chat completion request")
        schema_name = _schema_name(body)
        prompt = _prompt(body)
        with self._lock:
            self.calls += 1
            self.requests.append(body)
            self.arrivals.append(time.monotonic())
            self.in_flight += 1
            self.max_concurrent = max(self.max_concurrent, self.in_flight)
        fault = self._take(schema_name, prompt)
        try:
            await asyncio.sleep(self.latency)
            if fault is not None and fault.kind == "429":
                headers = {"Retry-After": f"{fault.retry_after:g}"}
                return _error(429, "rate_limit_exceeded", "slow down", headers)
            if fault is not None and fault.kind == "401":  # echoes the key, as some servers do
                key = request.headers.get("Authorization", "").removeprefix("Bearer ")
                return _error(401, "invalid_api_key", f"Incorrect API key provided: {key}.")
            if fault is not None and fault.kind == "500":
                return _error(500, "server_error", "the stand-in failed")
            if fault is not None and fault.kind == "hang":
                await asyncio.sleep(fault.hang)
            kind = fault.kind if fault is not None else ""
            content = self._content(schema_name, body, messages, kind)
            return web.json_response(_completion(body, prompt, content))
        finally:
            with self._lock:
                self.in_flight -= 1

    def _content(
        self, schema_name: str, body: dict[str, Any], messages: list[dict[str, Any]], fault: str
    ) -> str:
        if fault == "malformed":
            return (
                '{"labels": [{"id": "i1", "categ'
                if schema_name == "classification"
                else ('{"themes": "unterminated')
            )
        schema = ((body.get("response_format") or {}).get("json_schema") or {}).get("schema") or {}
        if schema_name == "classification":
            return json.dumps(classify_answer(messages, schema, fault), ensure_ascii=False)
        return json.dumps(summary_answer(messages, fault), ensure_ascii=False)

    async def _models(self, request: web.Request) -> web.Response:
        return web.json_response(
            {"object": "list", "data": [{"id": "stand-in", "object": "model"}]}
        )

    async def _set_faults(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
            if body.get("reset"):
                self.reset()
            if body.get("clear"):
                self.clear_faults()
            if "latency" in body:
                self.set_latency(float(body["latency"]))
            for spec in body.get("faults", []):
                self.add_fault(**spec)
        except (ValueError, TypeError) as e:
            return _error(400, "invalid_request_error", str(e))
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


def _schema_name(body: dict[str, Any]) -> str:
    return str(((body.get("response_format") or {}).get("json_schema") or {}).get("name", ""))


def _prompt(body: dict[str, Any]) -> str:
    return "\n".join(str(m.get("content", "")) for m in body.get("messages", []))


def _error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> web.Response:
    body = {"error": {"message": message, "type": code, "code": code}}
    return web.json_response(body, status=status, headers=headers)


def _completion(body: dict[str, Any], prompt: str, content: str) -> dict[str, Any]:
    prompt_tokens, completion_tokens = len(prompt) // 4, len(content) // 4
    return {
        "id": f"chatcmpl-stand-in-{time.monotonic_ns()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "stand-in"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


# --- answers ----------------------------------------------------------------------------------

_BLOCK = re.compile(r"<(items|sources)>\n(.*?)\n</\1>", re.DOTALL)
_LANG = re.compile(r"language code: ([A-Za-z-]+)")
_SECTION = re.compile(r"^Section: (.+?) \((?:news|papers)\)", re.MULTILINE)
_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TITLE_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]{3,}|[\uac00-\ud7a3]{2,}")
_SENTENCE = re.compile(r"(?<=[.!?。])\s+")
_DULL = frozenset(
    "with from that this their using into over towards toward based model models "
    "large learning data via".split()
)


def _block(messages: list[dict[str, Any]], tag: str) -> list[dict[str, Any]]:
    """The JSON rows of the prompt's <items> or <sources> block (only the user's messages)."""
    for m in messages:
        if m.get("role") == "user":
            for found in _BLOCK.finditer(str(m.get("content", ""))):
                if found[1] == tag:
                    rows = json.loads(found[2])
                    return [r for r in rows if isinstance(r, dict)]
    return []


@dataclass(frozen=True)
class _Index:
    """One kind's keywords, indexed so that labelling an item costs a look-up per word."""

    categories: tuple[Category, ...]
    words: dict[str, list[tuple[str, int]]]  # a Latin word (or its plural) -> (keyword, category)
    phrases: list[tuple[str, int]]  # phrases and Korean keywords, found inside the text


@functools.cache
def _index(enum: frozenset[str]) -> _Index:
    taxonomy = load_taxonomy()
    kind = next((k for k in KINDS if set(taxonomy.ids(k)) == enum), None)
    categories = taxonomy.sections(kind) if kind else ()
    words: dict[str, list[tuple[str, int]]] = {}
    phrases: list[tuple[str, int]] = []
    for n, c in enumerate(categories):
        for kw in c.keywords:
            if " " in kw or not kw.isascii():
                phrases.append((kw, n))
            else:
                for form in (kw, kw + "s"):
                    words.setdefault(form, []).append((kw, n))
    return _Index(categories, words, phrases)


def _hits(index: _Index, text: str) -> list[set[str]]:
    """Per category, the keywords found in `text`."""
    found: list[set[str]] = [set() for _ in index.categories]
    for token in set(_TOKEN.findall(text)):
        for kw, n in index.words.get(token, ()):
            found[n].add(kw)
    for kw, n in index.phrases:
        if kw in text:
            found[n].add(kw)
    return found


_AI_WORD = re.compile(r"\b(?:AI|LLMs?|GPT[\w.-]*|ChatGPT|model|models|neural)\b|인공지능|모델")


def _guess(row: dict[str, Any], index: _Index, enum: list[str]) -> str:
    """The taxonomy's keyword rule, roughly: title words count three times, an arXiv hint 2.5.
    When `not_ai` is offered, an item with no keyword and no AI word is not about AI."""
    raw_title, raw_text = str(row.get("title", "")), str(row.get("text", ""))
    title = _hits(index, raw_title.lower())
    text = _hits(index, raw_text.lower())
    nothing = (
        "not_ai" if "not_ai" in enum and not _AI_WORD.search(f"{raw_title} {raw_text}") else ""
    )
    best, best_score = (nothing or ("others" if "others" in enum else enum[0])), 0.0
    for n, c in enumerate(index.categories):
        score = 3.0 * len(title[n]) + len(text[n]) + (2.5 if row.get("arxiv") in c.arxiv else 0)
        if score > best_score:
            best, best_score = c.id, score
    return best


def classify_answer(
    messages: list[dict[str, Any]], schema: dict[str, Any], fault: str = ""
) -> dict[str, Any]:
    try:
        enum = list(schema["properties"]["labels"]["items"]["properties"]["category"]["enum"])
    except (KeyError, TypeError):
        enum = ["others"]
    index = _index(frozenset(enum) - {"not_ai"})
    rows = _block(messages, "items")
    labels = [{"id": str(r.get("id")), "category": _guess(r, index, enum)} for r in rows]
    if fault == "unknown_ids" and labels:
        labels[0]["id"] = "i9999"  # garbled: that item goes unlabelled
        labels.append({"id": "arxiv:2410.99999", "category": enum[0]})
    if fault == "missing_ids":
        labels = labels[::2]
    if fault == "list_order":  # a confused model: the category list, top to bottom, again
        labels = [{"id": x["id"], "category": enum[n % len(enum)]} for n, x in enumerate(labels)]
    return {"labels": labels}


def _share(text: str, korean: bool) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(("\uac00" <= ch <= "\ud7a3") == korean for ch in letters) / len(letters)


def _first_sentence(text: str) -> str:
    first = _SENTENCE.split(text.strip(), maxsplit=1)[0] if text.strip() else ""
    return first if len(first) <= 160 else first[:159].rsplit(" ", 1)[0] + "…"


def _keywords(rows: list[dict[str, Any]]) -> list[tuple[str, list[int]]]:
    where: dict[str, list[int]] = {}
    for n, row in enumerate(rows, start=1):
        for w in dict.fromkeys(x.lower() for x in _TITLE_WORD.findall(str(row.get("title", "")))):
            if w not in _DULL:
                where.setdefault(w, []).append(n)
    ranked = sorted(where.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return ranked[:3]


def _korean(rows: list[dict[str, Any]], section: str) -> dict[str, str]:
    titles = [str(r.get("title", "")) for r in rows]
    lead = " 그리고 ".join(f"「{t}」 [{n}]" for n, t in enumerate(titles[:2], start=1))
    events = []
    for n, (row, title) in enumerate(zip(rows, titles, strict=True), start=1):
        text = _first_sentence(str(row.get("text", "")))
        detail = (
            text if _share(text, True) > 0.5 else "이 항목의 핵심 내용과 주요 결과를 소개합니다"
        )
        events.append(f"- 「{title}」: {detail} [{n}]")
    cite = "".join(f"[{n}]" for n in range(1, len(rows) + 1))
    return {
        "themes": f"이 섹션은 {section} 분야의 주요 항목 {len(rows)}건을 다룹니다. "
        f"가장 눈에 띄는 항목은 {lead}입니다.",
        "keywords": "\n".join(
            f"- `{w}`: 여러 항목에 걸쳐 반복해서 등장하는 주제입니다 "
            + "".join(f"[{n}]" for n in ns)
            for w, ns in _keywords(rows)
        )
        or f"- 주요 주제: 이 분야의 새로운 소식입니다 {cite}",
        "events": "\n".join(events),
        "impact": f"이 항목들은 관련 연구와 제품 개발에 실질적인 영향을 줄 수 있습니다 {cite}.",
        "conclusion": f"가장 먼저 살펴볼 항목은 「{titles[0]}」입니다 [1]. "
        "후속 발표와 재현 결과를 지켜볼 필요가 있습니다.",
    }


def _english(rows: list[dict[str, Any]], section: str) -> dict[str, str]:
    titles = [str(r.get("title", "")) for r in rows]
    lead = " and ".join(f"“{t}” [{n}]" for n, t in enumerate(titles[:2], start=1))
    events = []
    for n, (row, title) in enumerate(zip(rows, titles, strict=True), start=1):
        text = _first_sentence(str(row.get("text", "")))
        detail = text if text and _share(text, False) > 0.9 else "a new item in this area"
        events.append(f"- “{title}”: {detail} [{n}]")
    cite = "".join(f"[{n}]" for n in range(1, len(rows) + 1))
    return {
        "themes": f"This section covers {len(rows)} items on {section}, led by {lead}.",
        "keywords": "\n".join(
            f"- `{w}`: recurs across the items " + "".join(f"[{n}]" for n in ns)
            for w, ns in _keywords(rows)
        )
        or f"- main topic: new work in this area {cite}",
        "events": "\n".join(events),
        "impact": f"Together these items may shape research and products in this area {cite}.",
        "conclusion": f"Start with “{titles[0]}” [1], and watch for follow-up results.",
    }


def summary_answer(messages: list[dict[str, Any]], fault: str = "") -> dict[str, str]:
    prompt = "\n".join(str(m.get("content", "")) for m in messages)
    lang_match, section_match = _LANG.search(prompt), _SECTION.search(prompt)
    lang = lang_match[1] if lang_match else "en"
    section = section_match[1] if section_match else "AI"
    if fault == "wrong_language":
        lang = "en" if lang == "ko" else "ko"
    rows = _block(messages, "sources") or [{"title": section}]
    parts = (_korean if lang == "ko" else _english)(rows, section)
    if fault == "bad_citations":
        parts["themes"] += f" [{len(rows) + 3}][{len(rows) + 7}]"
    if fault == "empty_part":
        parts["conclusion"] = ""
    return parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    args = parser.parse_args()
    server = LLMServer(latency=args.latency, host=args.host, port=args.port)
    print(f"LLM stand-in on {server.base_url} (latency {args.latency:g} s)", flush=True)
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
