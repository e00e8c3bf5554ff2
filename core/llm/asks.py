"""How a section is asked: in one call, or — when the model's context window is small — with
shorter abstracts, then in chunks of its sources whose answers are merged.

A call must fit the window: the messages (and the schema, when it travels in the prompt) plus
the answer's cap. Shortening the abstracts comes first (a section asked whole reads best); when
even short abstracts do not fit, the sources are split into the fewest equal chunks that do.
Chunks of a build are all asked at once, so a small window costs calls, not round trips.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

from core.llm import dialect
from core.llm.prompts import SOURCE_TEXT_MAX, SOURCE_TEXT_MIN, SUMMARY_TEXT_TOKENS, approx_tokens
from core.llm.summary_prompt import Ask, summary_messages, summary_schema
from core.plan import SectionInput

SHORTEST_TEXT = 30  # tokens of abstract per source below which a chunk reads better
MARGIN = 1.15  # the estimate of tokens is rough; leave room
ANSWER_TOKENS = {"ko": (600, 150), "en": (400, 100)}  # (fixed, per source) of an answer's cap


def answer_tokens(sources: int, lang: str) -> int:
    """The cap of an answer about `sources` sources: room for a good one, not for a loop."""
    fixed, per = ANSWER_TOKENS.get(lang, ANSWER_TOKENS["en"])
    return fixed + per * sources


def text_tokens(sources: int) -> int:
    """Each source's share of the section's abstract budget."""
    return max(SOURCE_TEXT_MIN, min(SOURCE_TEXT_MAX, SUMMARY_TEXT_TOKENS // max(1, sources)))


def ask_tokens(ask: Ask, schema_in_prompt: bool) -> int:
    """About how much of the context window `ask` takes, its answer included."""
    text = "\n".join(m["content"] for m in summary_messages(ask, reason="x" * 200))
    if schema_in_prompt:
        text += json.dumps(dialect.bare(summary_schema(ask.numbers)), separators=(",", ":"))
    return math.ceil(approx_tokens(text) * MARGIN) + ask.max_tokens + 20 * len(ask.numbers)


def plan_asks(
    inp: SectionInput,
    context_tokens: int = 0,
    schema_in_prompt: bool = False,
    numbers: Sequence[int] | None = None,
) -> list[Ask]:
    """The calls that summarise `numbers` (default: every source) of `inp`. `context_tokens`
    0: the window is ample, one call."""
    todo = tuple(numbers or range(1, len(inp.items) + 1))
    if not context_tokens:
        return [_ask(inp, todo, text_tokens(len(todo)))]
    for chunks in range(1, len(todo) + 1):
        size = math.ceil(len(todo) / chunks)
        groups = [todo[i : i + size] for i in range(0, len(todo), size)]
        widest = max(groups, key=len)
        budget = text_tokens(len(widest))
        while True:
            trial = _ask(inp, widest, budget)
            if ask_tokens(trial, schema_in_prompt) <= context_tokens:
                return [_ask(inp, g, budget) for g in groups]
            if budget <= SHORTEST_TEXT:
                break
            budget = max(SHORTEST_TEXT, budget * 2 // 3)
    # Not even one source with a short abstract fits: titles only, one source a call; the
    # server will say if that is still too much.
    return [_ask(inp, (n,), 0) for n in todo]


def halves(ask: Ask) -> list[Ask]:
    """`ask` split in two, for a server that said "too long" without saying its window."""
    if len(ask.numbers) < 2:
        return [_ask(ask.inp, ask.numbers, 0)] if ask.text_tokens else []
    mid = len(ask.numbers) // 2
    return [_ask(ask.inp, part, ask.text_tokens) for part in (ask.numbers[:mid], ask.numbers[mid:])]


def _ask(inp: SectionInput, numbers: tuple[int, ...], budget: int) -> Ask:
    return Ask(inp, numbers, budget, answer_tokens(len(numbers), inp.lang))
