"""Built days the tests share: the sample day built once per test process, and copies of it
re-dated, narrowed to some languages, or published to Redis. Tests never change a shared day:
they copy what they alter (pydantic's model_copy)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from functools import cache

from redis import Redis

from core.demo import build_demo_day
from core.pipeline import BuiltDay
from core.store.keys import Keys
from core.store.writer import save_day

PREFIX = "aidigest"


@cache
def demo_day() -> BuiltDay:
    """The bundled sample day in English and Korean, offline, with its trend chart."""
    return build_demo_day(("en", "ko"))


def redate(built: BuiltDay, day: date) -> BuiltDay:
    """The same day's content under another date (sections copied, the rest shared)."""
    iso = day.isoformat()
    digests = {}
    for lang, d in built.digests.items():
        sections = [s.model_copy(update={"date": iso}) for s in d.sections]
        digests[lang] = d.model_copy(update={"date": iso, "sections": sections})
    return replace(built, date=iso, digests=digests)


def only(built: BuiltDay, langs: Sequence[str]) -> BuiltDay:
    """The day with only the digests of `langs`."""
    return replace(built, digests={lang: built.digests[lang] for lang in langs})


def publish(redis: Redis[bytes], built: BuiltDay, prefix: str = PREFIX) -> Keys:
    """Publish `built` as the workers' publish job does; returns the keys it used."""
    keys = Keys(prefix)
    save_day(redis, keys, built, retention_days=365)
    return keys
