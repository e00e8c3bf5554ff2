"""Every Redis key of the search index (moves into core/store/keys.py with the other keys).

    {p}:search:post:{YYYY-MM}:{term}   packed postings of one term in one month (see postings.py)
    {p}:search:docs:{date}             hash: document number -> JSON of what a hit shows
    {p}:search:terms:{date}            the terms a day wrote, one per line (to take them out)
    {p}:search:days                    hash: date -> JSON {published, docs, avgdl}
    {p}:search:gen                     counter, bumped by every change (readers' caches key on it)

Shards are per month so that replacing a day rewrites a month of one term, not its whole
history, and a query reads one key per term and month. Everything expires `retention_days`
after its last write; a day past retention is also taken out of its shards by the next index.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SearchKeys:
    prefix: str = "aidigest"

    def postings(self, month: str, term: str) -> str:
        return f"{self.prefix}:search:post:{month}:{term}"

    def docs(self, day: str) -> str:
        return f"{self.prefix}:search:docs:{day}"

    def terms(self, day: str) -> str:
        return f"{self.prefix}:search:terms:{day}"

    @property
    def days(self) -> str:
        return f"{self.prefix}:search:days"

    @property
    def gen(self) -> str:
        return f"{self.prefix}:search:gen"
