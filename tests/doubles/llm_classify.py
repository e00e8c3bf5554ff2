"""The LLM stand-in's classifications: each item of the <items> block labelled by the taxonomy's
keywords (title words count three times, an arXiv category hint 2.5), as a model that reads the
titles would; faults garble or drop ids."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

from core.items import KINDS
from core.taxonomy import Category, load_taxonomy

_BLOCK = re.compile(r"<(items|sources)>\n(.*?)\n</\1>", re.DOTALL)
_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def block(messages: list[dict[str, Any]], tag: str) -> list[dict[str, Any]]:
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
    rows = block(messages, "items")
    labels = [{"id": str(r.get("id")), "category": _guess(r, index, enum)} for r in rows]
    if fault == "unknown_ids" and labels:
        labels[0]["id"] = "i9999"  # garbled: that item goes unlabelled
        labels.append({"id": "arxiv:2410.99999", "category": enum[0]})
    if fault == "missing_ids":
        labels = labels[::2]
    if fault == "list_order":  # a confused model: the category list, top to bottom, again
        labels = [{"id": x["id"], "category": enum[n % len(enum)]} for n, x in enumerate(labels)]
    return {"labels": labels}
