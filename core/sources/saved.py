"""Saved documents as a source: bundled package data (`package:demo/arxiv_{date}.jsonl`, under
core/data/) or a file (`file:/path/feed-{date}.xml`); `{date}` is the day being built. The demo
day is built from these (core/data/demo/sources.toml), offline."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

from core.sources.http import SourceError
from core.sources.spec import SourceSpec


def location(spec: SourceSpec, day: date) -> str:
    return spec.url.replace("{date}", day.isoformat())


def read(spec: SourceSpec, day: date) -> bytes:
    """The saved document of `spec` for `day`. Raises SourceError when there is none."""
    where = location(spec, day)
    scheme, _, rest = where.partition(":")
    try:
        if scheme == "package":
            return resources.files("core.data").joinpath(rest).read_bytes()
        if scheme == "file":
            return Path(rest).read_bytes()
    except OSError as e:
        raise SourceError(f"{spec.name}: no saved document {where} ({type(e).__name__})") from e
    raise SourceError(f"{spec.name}: a saved source's url is package:… or file:…, not {where}")


def has_day(spec: SourceSpec, day: date) -> bool:
    """Whether `spec` has a document of its own for `day` (its url names the date)."""
    if spec.type != "saved" or "{date}" not in spec.url:
        return False
    try:
        read(spec, day)
    except SourceError:
        return False
    return True
