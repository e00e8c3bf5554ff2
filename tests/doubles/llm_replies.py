"""What the LLM stand-in replies once it takes a request: the answer's text for the task (a
classification or a section summary), as held to a schema or free, and the completion body."""

from __future__ import annotations

import json
import time
from typing import Any

from tests.doubles import llm_dialects as dialects
from tests.doubles.llm_classify import block, classify_answer
from tests.doubles.llm_summary import as_text, summary_answer

SCHEMA_IN_PROMPT = "JSON schema:\n"


def task_of(body: dict[str, Any]) -> str:
    """ "classification" or "section_summary": by the response_format's name, else the prompt."""
    fmt = body.get("response_format")
    if isinstance(fmt, dict):
        name = (fmt.get("json_schema") or {}).get("name")
        if name:
            return str(name)
    prompt = prompt_of(body)
    return "classification" if "<items>" in prompt else "section_summary"


def prompt_of(body: dict[str, Any]) -> str:
    return "\n".join(str(m.get("content", "")) for m in body.get("messages", []))


def _schema(body: dict[str, Any], held: dialects.Format, prompt: str) -> dict[str, Any]:
    """The schema the answer should follow: given to the server, or written in the prompt."""
    if held.schema:
        return held.schema
    if SCHEMA_IN_PROMPT in prompt:
        try:
            found, _ = json.JSONDecoder().raw_decode(prompt.split(SCHEMA_IN_PROMPT, 1)[1])
            return found if isinstance(found, dict) else {}
        except ValueError:
            return {}
    return {}


def content(
    task: str,
    body: dict[str, Any],
    messages: list[dict[str, Any]],
    prompt: str,
    fault: str,
    held: dialects.Format,
) -> str:
    if fault == "malformed":
        return '{"labels": [{"id": "i1", "categ' if task == "classification" else '{"sources": [{'
    if fault == "loop":
        return "The model keeps saying the same thing. " * 4000
    if task == "classification":
        answer = classify_answer(messages, _schema(body, held, prompt), fault)
    else:
        answer = summary_answer(block(messages, "sources"), prompt, fault)
    free = held.kind == "text"  # nothing holds the model to bare JSON
    return as_text(answer, fence=free, prose=fault == "prose_json")


def cut_rows(content: str, budget: int) -> str:
    """`content` with the rows of its <sources> block that do not fit `budget` dropped."""
    head, rest = content.split("<sources>\n", 1)
    rows, tail = rest.split("\n</sources>", 1)
    kept: list[str] = []
    used = dialects.tokens(head) + dialects.tokens(tail) + 10
    for line in rows.strip("[]\n").split(",\n"):
        used += dialects.tokens(line)
        if used > budget:
            break
        kept.append(line)
    return f"{head}<sources>\n[\n" + ",\n".join(kept) + f"\n]\n</sources>{tail}"


def completion(
    body: dict[str, Any], prompt_tokens: int, content: str, max_tokens: int
) -> dict[str, Any]:
    completion_tokens, finish = dialects.tokens(content), "stop"
    if max_tokens and completion_tokens > max_tokens:
        while dialects.tokens(content) > max_tokens:  # cut off where the budget ended
            content = content[: max(1, len(content) * max_tokens // dialects.tokens(content) - 1)]
        completion_tokens, finish = dialects.tokens(content), "length"
    return {
        "id": f"chatcmpl-stand-in-{time.monotonic_ns()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "stand-in"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def seen_by_model(
    messages: list[dict[str, Any]], prompt_tokens: int, dialect: str, window: int
) -> list[dict[str, Any]]:
    """The messages as the model sees them: Ollama cuts a prompt over its window, silently
    (here: the data block keeps only the rows that fit)."""
    if dialect != "ollama" or not window or prompt_tokens <= window:
        return messages
    out, budget = [], window
    for m in messages:
        text = str(m.get("content", ""))
        if dialects.tokens(text) > budget and "<sources>" in text:
            text = cut_rows(text, budget)
        budget -= dialects.tokens(text)
        out.append({**m, "content": text})
    return out
