"""Built days on disk, for the CLI without Redis: `DIR/<date>/report.md`, charts, the digest as
JSON, and a reader of them shaped like the Redis readers (for core/lookup.py).

Layout of one day (DIR defaults to reports/):
    <date>/report.md            the report in the first language (report.<lang>.md for others)
    <date>/news.png, papers.png category distributions; <kind>-trend.png when earlier days exist
    <date>/digest.<lang>.json   the digest, which `aidigest show` reads back
    <date>/items.jsonl          every item of the day, one JSON object a line (core/item_list.py)
    <date>/window.json          what the day took from each source (core/store/mark_files.py)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from core.digest import Digest, Section
from core.item_list import dumps
from core.report import render
from core.store.codec import pick_lang

if TYPE_CHECKING:  # the pipeline imports matplotlib: reading files needs none of it
    from core.pipeline import BuiltDay


def write_day(out_dir: Path, built: BuiltDay) -> list[Path]:
    """Write a built day; returns the paths written, report(s) first."""
    day_dir = out_dir / built.date
    day_dir.mkdir(parents=True, exist_ok=True)
    chart_names = {name: f"{name}.png" for name in built.charts}
    written: list[Path] = []
    for n, (lang, digest) in enumerate(built.digests.items()):
        report = day_dir / ("report.md" if n == 0 else f"report.{lang}.md")
        report.write_text(render(digest, chart_names), encoding="utf-8")
        written.append(report)
        (day_dir / f"digest.{lang}.json").write_text(digest.model_dump_json(indent=1), "utf-8")
    for name, png in built.charts.items():
        path = day_dir / chart_names[name]
        path.write_bytes(png)
        written.append(path)
    listing = day_dir / "items.jsonl"
    listing.write_text(dumps(built.rows), encoding="utf-8")
    written.append(listing)
    return written


def langs(out_dir: Path, day: str) -> list[str]:
    return sorted(p.name.split(".")[1] for p in (out_dir / day).glob("digest.*.json"))


def read_digest(out_dir: Path, day: str, lang: str) -> Digest | None:
    """The digest of `day` in `lang`, else in a language it was built in."""
    chosen = pick_lang(lang, langs(out_dir, day))
    if chosen is None:
        return None
    return Digest.model_validate_json((out_dir / day / f"digest.{chosen}.json").read_text("utf-8"))


def dates(out_dir: Path) -> list[str]:
    """Built days, newest first."""
    if not out_dir.is_dir():
        return []
    found = {p.parent.name for p in out_dir.glob("*/digest.*.json")}
    return sorted(found, reverse=True)


def history(out_dir: Path) -> dict[str, dict[str, dict[str, int]]]:
    """Category counts of every built day (for trend charts)."""
    out: dict[str, dict[str, dict[str, int]]] = {}
    for day in dates(out_dir):
        path = next(iter(sorted((out_dir / day).glob("digest.*.json"))), None)
        if path is None:
            continue
        raw = json.loads(path.read_text("utf-8"))
        out[day] = {k: v["counts"] for k, v in raw.get("kinds", {}).items()}
    return out


class FilesReader:
    """Built days in `out_dir`, read like core.store.async_reader.AsyncDayReader reads Redis."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir

    async def dates(self) -> list[str]:
        return dates(self.out_dir)

    async def langs(self, day: str) -> list[str]:
        return langs(self.out_dir, day)

    async def meta(self, day: str, lang: str) -> Digest | None:
        if lang not in langs(self.out_dir, day):
            return None
        return read_digest(self.out_dir, day, lang)

    async def sections(
        self, day: str, lang: str, wanted: Sequence[tuple[str, str]]
    ) -> list[Section | None]:
        digest = await self.meta(day, lang)
        return [digest.section(k, c) if digest else None for k, c in wanted]  # type: ignore[arg-type]
