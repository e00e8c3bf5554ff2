"""Sections already rendered as Block Kit, reused while the section is the very object they were
rendered from.

The reader keeps decoded sections (core/store/day_cache.py) and hands out the same object until
its day is published again; a section read anew is a new object, so it is rendered anew, and
nothing is ever shown that was rendered from another version of it. Rendering (escaping, links,
pieces that never cut a link) is most of what an answer costs the bot; a section opened again
(by a button, the day-before/after buttons, another channel) costs a look-up instead.
"""

from __future__ import annotations

from bot.slack_bot.blocks import Block, section_blocks
from core.digest import Section
from core.ttl_cache import TtlCache


class RenderedSections:
    def __init__(self, size: int = 512, ttl: float = 60.0) -> None:
        self._items: TtlCache[tuple[str, ...], tuple[Section, list[Block]]] = TtlCache(ttl, size)

    def blocks(self, s: Section, web: str = "") -> list[Block]:
        """section_blocks(s, web), shared: callers must not change the blocks."""
        key = (s.date, s.lang, s.kind, s.category, web)
        hit = self._items.get(key)
        if hit is not None and hit[0] is s:
            return hit[1]
        blocks = section_blocks(s, web)
        self._items.put(key, (s, blocks))  # holding `s` keeps its identity from being reused
        return blocks

    def clear(self, *_: object) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
