"""Earlier days' category counts, for the 7-day trend charts.

A published day keeps its counts (the store's day index; core/store/sync_reader.py and
core/store/files.py read them). Saved sources that have a document of their own for earlier days
(the demo's arXiv and Hugging Face files) give those days' counts too: their items are collected
and classified offline, as the day itself would be.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta

from core.digest import History
from core.engine import Engine
from core.pipeline import collect_all, merge_and_classify
from core.plan import category_counts
from core.sources import make_client, saved
from core.sources.spec import SourceSpec
from core.taxonomy import Taxonomy


def saved_history(
    specs: Sequence[SourceSpec], day: date, taxonomy: Taxonomy, days: int = 6
) -> History:
    """Counts of each of the `days` days before `day` for which a saved source has a document."""
    out: dict[str, dict[str, dict[str, int]]] = {}
    with make_client() as client:
        for back in range(days, 0, -1):
            when = day - timedelta(days=back)
            mine = [s for s in specs if saved.has_day(s, when)]
            if not mine:
                continue
            results = collect_all(client, mine, when, None)
            noon = datetime.combine(when, time(12), tzinfo=UTC)
            items, labels = merge_and_classify(results, taxonomy, Engine(), noon)
            kinds = dict.fromkeys(s.kind for s in mine)
            out[when.isoformat()] = {k: category_counts(items, labels, taxonomy, k) for k in kinds}
    return out


def combined(*histories: Mapping[str, Mapping[str, Mapping[str, int]]]) -> History:
    """Histories together; a later one's day wins over an earlier one's."""
    out: dict[str, Mapping[str, Mapping[str, int]]] = {}
    for h in histories:
        out.update(h)
    return out
