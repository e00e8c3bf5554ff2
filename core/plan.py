"""Which items each section summarises: the plan between classification and summaries.

Every non-Others category with items gets a section of its hottest `section_cap` items. The
section's items are numbered in order: citation [n] is `items[n-1]`, in every summariser.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.digest import FallbackReason, Section, SourceRef, SummaryMode, SummaryPart
from core.headings import PART_KEYS, headings
from core.items import KINDS, Item, Kind
from core.taxonomy import Taxonomy


@dataclass(frozen=True)
class SectionInput:
    date: str
    lang: str
    kind: Kind
    category: str  # category id
    name: str  # display name
    description: str
    items: tuple[Item, ...]  # hottest first; source [n] is items[n-1]
    total: int  # all items of this category that day

    @property
    def key(self) -> str:
        """Identifies the section's job and cache entries: letters, digits, - and _ only."""
        return f"{self.date}-{self.kind}-{self.category}-{self.lang}"

    def sources(self) -> list[SourceRef]:
        return [
            SourceRef(
                n=n,
                item_id=item.id,
                title=item.title,
                url=item.url,
                source=item.source,
                upvotes=item.upvotes,
                points=item.points,
            )
            for n, item in enumerate(self.items, start=1)
        ]

    def section(
        self,
        texts: Mapping[str, str],
        mode: SummaryMode,
        *,
        note: str = "",
        fallback: FallbackReason = "",
    ) -> Section:
        """The section of this input with `texts` (one per PART_KEYS), headings in its language."""
        h = headings(self.lang)
        return Section(
            date=self.date,
            lang=self.lang,
            kind=self.kind,
            category=self.category,
            name=self.name,
            parts=[SummaryPart(key=k, heading=h[k], text=texts[k]) for k in PART_KEYS],
            sources=self.sources(),
            total=self.total,
            mode=mode,
            note=note,
            fallback=fallback,
        )


def category_counts(
    items: Sequence[Item], labels: Mapping[str, str], taxonomy: Taxonomy, kind: Kind
) -> dict[str, int]:
    """Items per category id for one kind, every category of the taxonomy present (zeros too)."""
    counts = Counter(labels[i.id] for i in items if i.kind == kind)
    return {c.id: counts.get(c.id, 0) for c in taxonomy.of(kind)}


def plan_sections(
    date: str,
    lang: str,
    items: Sequence[Item],
    labels: Mapping[str, str],
    taxonomy: Taxonomy,
    section_cap: int,
) -> list[SectionInput]:
    """Section inputs for both kinds, biggest category first. `items` must be ranked (hottest
    first); every item must have a label."""
    plans: list[SectionInput] = []
    for kind in KINDS:
        counts = category_counts(items, labels, taxonomy, kind)
        for cat in sorted(taxonomy.sections(kind), key=lambda c: -counts[c.id]):
            if counts[cat.id] == 0:
                continue
            mine = [i for i in items if i.kind == kind and labels[i.id] == cat.id]
            plans.append(
                SectionInput(
                    date=date,
                    lang=lang,
                    kind=kind,
                    category=cat.id,
                    name=cat.name,
                    description=cat.description,
                    items=tuple(mine[:section_cap]),
                    total=counts[cat.id],
                )
            )
    return plans
