"""What the semantic classifier learns from: labelled titles bundled as package data, and the
taxonomy's own words (each category's name, description, keywords and example titles).

`data/labelled.jsonl`: 617 titles (news and papers) that the system aidigest replaces listed from
2024-10-04 to 2024-11-10, with the category its LLM gave each from the title alone, mapped onto our
taxonomy (`category`, null where no category fits) and an AI / not-AI flag (`ai`, from the old
label: "Web Development" is not AI). `data/review.jsonl`: where a reading of the title disagrees
with that flag (152 titles, each with its reason): the old model had to put every Hacker News
story in an AI section, so "Zod: TypeScript-first schema validation" was "Model training
technique" and 16 security stories were "AI policy". The review wins unless `reviewed=False`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from core.items import Kind
from core.taxonomy import Taxonomy

KEYWORDS_PER_EXAMPLE = 4


@dataclass(frozen=True)
class Example:
    kind: Kind
    title: str
    category: str | None  # None: no category of ours fits (or not judged)
    ai: bool
    seed_ai: bool = True  # the flag before review


def _lines(name: str) -> Iterator[dict[str, object]]:
    text = resources.files("core.classify.data").joinpath(name).read_text("utf-8")
    for line in text.splitlines():
        if line.strip():
            yield json.loads(line)


@lru_cache(maxsize=2)
def labelled(reviewed: bool = True) -> tuple[Example, ...]:
    """The bundled labelled titles, each once."""
    review = {(str(r["kind"]), str(r["title"])): bool(r["ai"]) for r in _lines("review.jsonl")}
    out = []
    for row in _lines("labelled.jsonl"):
        kind, title, seed_ai = str(row["kind"]), str(row["title"]), bool(row["ai"])
        ai = review.get((kind, title), seed_ai) if reviewed else seed_ai
        category = row.get("category")
        out.append(
            Example(
                kind="news" if kind == "news" else "papers",
                title=title,
                category=str(category) if category else None,
                ai=ai,
                seed_ai=seed_ai,
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def not_ai_examples() -> tuple[Example, ...]:
    """Hand-written general-tech titles (data/not_ai.txt), for the relevance model."""
    text = resources.files("core.classify.data").joinpath("not_ai.txt").read_text("utf-8")
    lines = [x.strip() for x in text.splitlines()]
    return tuple(
        Example(kind="news", title=x, category=None, ai=False) for x in lines if x and x[0] != "#"
    )


def taxonomy_examples(taxonomy: Taxonomy, kind: Kind) -> list[Example]:
    """Each section's own words as AI examples of it: its name and description, its keywords a
    few at a time, and its example titles (so a category with no labelled title still exists)."""
    out: list[Example] = []
    for c in taxonomy.sections(kind):
        texts = [f"{c.name}: {c.description}" if c.description else c.name, *c.examples]
        kws = list(c.keywords)
        texts += [
            ", ".join(kws[i : i + KEYWORDS_PER_EXAMPLE])
            for i in range(0, len(kws), KEYWORDS_PER_EXAMPLE)
        ]
        out += [Example(kind=kind, title=t, category=c.id, ai=True) for t in texts]
    return out
