"""The demo day built once per test process, in both languages (until the root conftest's
session fixture replaces it)."""

from __future__ import annotations

from functools import lru_cache

from core import demo
from core.pipeline import BuiltDay, build_day
from core.taxonomy import load_taxonomy


@lru_cache(maxsize=1)
def demo_day() -> BuiltDay:
    taxonomy = load_taxonomy(None)
    return build_day(
        demo.DEMO_DATE,
        demo.demo_results(),
        taxonomy,
        langs=["ko", "en"],
        section_cap=8,
        now=demo.demo_now(),
        history=demo.demo_history(taxonomy),
    )
