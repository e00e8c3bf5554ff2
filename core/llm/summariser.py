"""Section summaries by an LLM: one call per (kind, category, language) — or per chunk of its
sources when the model's window is small — all in flight at once.

Each call's answer is validated (core/llm/validate.py); an invalid one is asked again once, with
the rule it broke. A section whose calls all pass is assembled by the code (core/llm/assemble.py).
Otherwise — a second invalid answer, an error the server will not get over, the build's LLM
budget spent — the section is the offline summary, marked, with the reason. Every input gets a
section: the digest never misses one because a model misbehaved.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from core.digest import FallbackReason, Section
from core.extractive import summarise_offline
from core.llm.asks import halves, plan_asks
from core.llm.assemble import merge, to_section
from core.llm.chat import LLM
from core.llm.dialect import Mode
from core.llm.errors import BudgetSpent, ContextOverflow, InvalidAnswer, LLMError
from core.llm.summary_prompt import SCHEMA_NAME, Ask, summary_messages, summary_schema
from core.llm.validate import Draft, read_draft, summary_problem
from core.plan import SectionInput

log = logging.getLogger(__name__)

MAX_SPLITS = 3  # a context overflow splits an ask at most this deep

Outcome = Draft | LLMError


class LLMSummariser:
    def __init__(self, llm: LLM) -> None:
        self.llm = llm

    def __call__(self, inputs: Sequence[SectionInput]) -> list[Section]:
        """One section per input, in order; every call of the build in flight at once."""
        asks = [(i, ask) for i, inp in enumerate(inputs) if inp.items for ask in self.plan(inp)]
        outcomes = self.llm.map(self._outcome, [ask for _, ask in asks])
        by_input: dict[int, list[Outcome]] = {}
        for (i, _), outcome in zip(asks, outcomes, strict=True):
            by_input.setdefault(i, []).append(outcome)
        return [self._section(inp, by_input.get(i, [])) for i, inp in enumerate(inputs)]

    def summarise(self, inp: SectionInput) -> Section:
        return self([inp])[0]

    def plan(self, inp: SectionInput) -> list[Ask]:
        return plan_asks(inp, self.llm.context_tokens, self.llm.mode is not Mode.SCHEMA)

    def _section(self, inp: SectionInput, outcomes: list[Outcome]) -> Section:
        if not inp.items:
            return summarise_offline(inp)
        failed = next((o for o in outcomes if isinstance(o, LLMError)), None)
        if failed is not None or not outcomes:
            note = str(failed) if failed else "no answer"
            log.warning("summary %s: offline fallback (%s)", inp.key, note)
            return summarise_offline(inp, note=note, reason=_reason(failed))
        drafts = [o for o in outcomes if isinstance(o, Draft)]
        try:
            return to_section(inp, merge(drafts))
        except Exception as e:  # a bug here must cost one section its LLM summary, not the day
            log.exception("summary %s: assembling failed", inp.key)
            return summarise_offline(inp, note=f"internal error ({type(e).__name__})")

    def _outcome(self, ask: Ask) -> Outcome:
        try:
            return self._answer(ask, depth=0)
        except LLMError as e:
            return e
        except Exception as e:  # a bug here must cost one section its LLM summary, not the day
            log.exception("summary %s failed", ask.inp.key)
            return _Internal(f"internal error ({type(e).__name__})")

    def _answer(self, ask: Ask, depth: int) -> Draft:
        try:
            return self._ask_twice(ask)
        except ContextOverflow as e:
            if depth >= MAX_SPLITS:
                raise
            smaller = self._smaller(ask, e.window)
            if not smaller:
                raise
            log.info("summary %s: too long (%s); asking in %d parts", ask.inp.key, e, len(smaller))
            return merge([self._answer(part, depth + 1) for part in smaller])

    def _smaller(self, ask: Ask, window: int) -> list[Ask]:
        """`ask` re-planned for a window the server named (remembered for the rest of the
        build), or split in two when it named none."""
        if window:
            if not self.llm.context_tokens or window < self.llm.context_tokens:
                self.llm.context_tokens = window
            parts = plan_asks(ask.inp, window, self.llm.mode is not Mode.SCHEMA, ask.numbers)
            if parts != [ask]:
                return parts
        return halves(ask)

    def _ask_twice(self, ask: Ask) -> Draft:
        try:
            return self._ask(ask, reason="")
        except InvalidAnswer as first:
            log.info("summary %s rejected (%s); asking again", ask.inp.key, first)
            return self._ask(ask, reason=str(first))

    def _ask(self, ask: Ask, reason: str) -> Draft:
        titles = [i.title for i in ask.inp.items]
        lang = ask.inp.lang
        answer = self.llm.complete_json(
            summary_messages(ask, reason),
            summary_schema(ask.numbers),
            SCHEMA_NAME,
            check=lambda a: summary_problem(a, ask.numbers, lang, titles),
            max_tokens=ask.max_tokens,
        )
        return read_draft(answer, ask.numbers, lang, titles)


class _Internal(LLMError):
    """Our own bug, not the model's or the server's."""


def _reason(error: LLMError | None) -> FallbackReason:
    if isinstance(error, InvalidAnswer):
        return "invalid"
    if isinstance(error, BudgetSpent):
        return "budget"
    if error is None or isinstance(error, _Internal):
        return "failed"
    return "server"  # an HTTP error, a timeout, no connection, a prompt over the window
