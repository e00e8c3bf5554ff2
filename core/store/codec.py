"""Reading back what the store wrote, the same way in every reader (sync, async, files)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel

from core.digest import Digest, Section

READY = "digest.ready"  # the type of the stream entry a publish appends


def as_text(value: bytes | str) -> str:
    """A Redis reply as text (clients for aidigest use decode_responses=False)."""
    return value.decode() if isinstance(value, bytes) else value


def pick_lang(wanted: str, built: Sequence[str]) -> str | None:
    """The language to show: `wanted` when the day was built in it, else the first built; None
    when the day has no language at all."""
    if wanted in built:
        return wanted
    return built[0] if built else None


class DayIndex(BaseModel):
    """What one published day holds; also its category counts, for later trend charts."""

    langs: list[str]
    charts: list[str]  # "news", "papers", "news-trend", …
    sections: list[str]  # "{lang}:{kind}:{cat}", in digest order
    counts: dict[str, dict[str, int]]  # kind -> category id -> items (kinds with items)
    published: float


def digest_of(raw: bytes | str | None) -> Digest | None:
    return None if raw is None else Digest.model_validate_json(raw)


def section_of(raw: bytes | str | None) -> Section | None:
    return None if raw is None else Section.model_validate_json(raw)


def index_of(raw: bytes | str | None) -> DayIndex | None:
    return None if raw is None else DayIndex.model_validate_json(raw)


def section_ids(meta: Digest) -> list[tuple[str, str]]:
    """(kind, category) of every section of a digest, in digest order, each once."""
    return [(k, c) for k, kd in meta.kinds.items() for c in dict.fromkeys(kd.sections)]


def ready_date(fields: Mapping[bytes | str, bytes | str]) -> str | None:
    """The date of a digest.ready stream entry, None for other entries."""
    got = {as_text(k): as_text(v) for k, v in fields.items()}
    return got.get("date") if got.get("type") == READY else None
