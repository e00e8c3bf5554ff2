"""Search over every published day: items (titles and text) and section summaries, in Korean and
English, ranked, paged, filtered by kind, category and language.

    tokens.py     words and Hangul bigrams           documents.py  what a day contributes
    postings.py   packed postings, BM25 weights      index_writer.py  index a day, replace, expire
    ranking.py    a query's plan, no I/O             index_reader.py  sync and async readers
    snippet.py    marked excerpts of hits            memory.py     the index without Redis

Its Redis keys are core/store/keys.py's `search_*` (layout documented there).

The index lives in Redis beside the days (so every bot process and the web share it), written
by whoever publishes a day and read by anyone.
"""

from core.search.index_reader import SearchReader, SyncSearchReader
from core.search.index_writer import SearchWriter
from core.search.ranking import Filters, Hit, SearchPage

__all__ = ["Filters", "Hit", "SearchPage", "SearchReader", "SearchWriter", "SyncSearchReader"]
