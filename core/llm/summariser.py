"""Section summaries by an LLM: one call per (kind, category, language), all in flight at once.

An answer that fails validation (core/llm/validate.py) is asked again once with the reason;
a second failure, or no answer at all, gives the offline summary marked with why. Every input
gets a section: the digest never misses one because a model misbehaved.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from core.digest import Section, SummaryPart
from core.extractive import summarise_offline
from core.headings import PART_KEYS, headings
from core.llm.cache import Answer
from core.llm.chat import LLM, InvalidAnswer, LLMError
from core.llm.summary_prompt import SUMMARY_SCHEMA, summary_messages
from core.llm.validate import normalise_citations, summary_problem
from core.plan import SectionInput

log = logging.getLogger(__name__)

SCHEMA_NAME = "section_summary"
MAX_TOKENS = 2500  # five parts, one line per source: ~1,000 tokens in English, more in Korean


class LLMSummariser:
    def __init__(self, llm: LLM, max_tokens: int = MAX_TOKENS) -> None:
        self.llm = llm
        self.max_tokens = max_tokens

    def __call__(self, inputs: Sequence[SectionInput]) -> list[Section]:
        """One section per input, in order; every call of the build in flight at once."""
        return self.llm.map(self.summarise, inputs)

    def summarise(self, inp: SectionInput) -> Section:
        if not inp.items:
            return summarise_offline(inp)
        try:
            return self._ask(inp, reason="")
        except InvalidAnswer as first:
            log.info("summary %s rejected (%s); asking again", inp.key, first)
            try:
                return self._ask(inp, reason=str(first))
            except LLMError as second:
                return self._fallback(inp, str(second))
        except LLMError as e:
            return self._fallback(inp, str(e))
        except Exception as e:  # a bug here must cost one section its LLM summary, not the day
            log.exception("summary %s failed", inp.key)
            return self._fallback(inp, f"internal error ({type(e).__name__})")

    def _ask(self, inp: SectionInput, reason: str) -> Section:
        answer = self.llm.complete_json(
            summary_messages(inp, reason),
            SUMMARY_SCHEMA,
            SCHEMA_NAME,
            check=lambda a: summary_problem(a, inp),
            max_tokens=self.max_tokens,
        )
        return to_section(inp, answer)

    def _fallback(self, inp: SectionInput, reason: str) -> Section:
        log.warning("summary %s: offline fallback (%s)", inp.key, reason)
        return summarise_offline(inp, note=reason)


def to_section(inp: SectionInput, answer: Answer) -> Section:
    """A validated answer as the section: parts in PART_KEYS order, headings in its language."""
    h = headings(inp.lang)
    parts = [
        SummaryPart(key=k, heading=h[k], text=normalise_citations(str(answer[k]).strip()))
        for k in PART_KEYS
    ]
    return Section(
        date=inp.date,
        lang=inp.lang,
        kind=inp.kind,
        category=inp.category,
        name=inp.name,
        parts=parts,
        sources=inp.sources(),
        total=inp.total,
        mode="llm",
    )
