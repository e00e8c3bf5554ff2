"""The LLM stand-in's faults: what goes wrong, for which calls, how often."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from tests.doubles.llm_summary import SLOPPY

FAULT_KINDS = frozenset(
    {
        *("401", "429", "500", "hang", "malformed", "loop"),
        *("unknown_ids", "missing_ids", "list_order"),
        *SLOPPY,
    }
)


@dataclass
class Fault:
    kind: str
    times: int | None = None  # the first N matching calls; None = every matching call
    match: str = ""  # only calls whose prompt (all messages) contains this
    schema: str = ""  # only calls of this task: "classification" or "section_summary"
    retry_after: float = 1.0  # seconds, for 429
    hang: float = 30.0  # seconds a hang lasts before the answer comes
    rate: float = 1.0  # the share of (distinct) prompts it applies to

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; known: {sorted(FAULT_KINDS)}")

    def matches(self, task: str, prompt: str) -> bool:
        if self.times is not None and self.times <= 0:
            return False
        if self.schema and self.schema != task:
            return False
        if self.rate < 1.0:
            draw = int(hashlib.sha256(prompt.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
            if draw >= self.rate:
                return False
        return self.match in prompt
