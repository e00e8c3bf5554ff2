"""Marks and takes as JSON (the CLI's state file and the workers' Redis values share it).

    mark: {"released_to": ISO 8601 | null, "seen": {id: [day, ISO 8601, dated]}}
    take: {"source", "day", "start", "end", "ids": [...], "featured": [...]}

Decoding refuses anything else with a ValueError that names the part at fault.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from core.watermark import Mark, Seen, Take


def _when(value: Any, what: str) -> datetime:
    try:
        at = datetime.fromisoformat(str(value))
    except ValueError as e:
        raise ValueError(f"{what}: {value!r} is not an ISO 8601 time") from e
    if at.tzinfo is None:
        raise ValueError(f"{what}: {value!r} has no time zone")
    return at


def dump_mark(mark: Mark) -> dict[str, Any]:
    return {
        "released_to": mark.released_to.isoformat() if mark.released_to else None,
        "seen": {k: [v.day, v.at.isoformat(), v.dated] for k, v in mark.seen.items()},
    }


def load_mark(raw: Any, what: str = "mark") -> Mark:
    if not isinstance(raw, dict) or not isinstance(raw.get("seen", {}), dict):
        raise ValueError(f"{what}: expected an object with `released_to` and `seen`")
    seen = {}
    for key, entry in raw.get("seen", {}).items():
        if not (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)):
            raise ValueError(f"{what}: seen[{key!r}] must be [day, time, dated]")
        seen[str(key)] = Seen(entry[0], _when(entry[1], f"{what}: seen[{key!r}]"), bool(entry[2]))
    released = raw.get("released_to")
    return Mark(_when(released, f"{what}: released_to") if released else None, seen)


def dump_take(taken: Take) -> dict[str, Any]:
    return {
        "source": taken.source,
        "day": taken.day,
        "start": taken.start.isoformat(),
        "end": taken.end.isoformat(),
        "ids": list(taken.ids),
        "featured": list(taken.featured),
    }


def load_take(raw: Any, what: str = "take") -> Take:
    if not isinstance(raw, dict):
        raise ValueError(f"{what}: expected an object")
    try:
        ids, featured = raw.get("ids", []), raw.get("featured", [])
        if not all(isinstance(i, str) for i in [*ids, *featured]):
            raise ValueError(f"{what}: ids must be strings")
        return Take(
            source=str(raw["source"]),
            day=str(raw["day"]),
            start=_when(raw["start"], f"{what}: start"),
            end=_when(raw["end"], f"{what}: end"),
            ids=tuple(ids),
            featured=tuple(featured),
        )
    except (KeyError, TypeError) as e:
        raise ValueError(f"{what}: missing or malformed field {e}") from e


def mark_json(mark: Mark) -> str:
    return json.dumps(dump_mark(mark), separators=(",", ":"))


def take_json(taken: Take) -> str:
    return json.dumps(dump_take(taken), separators=(",", ":"))
