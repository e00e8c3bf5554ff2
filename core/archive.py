"""Built days on disk, for the CLI: `DIR/<date>/report.md`, charts, and the digest as JSON.

Layout of one day (DIR defaults to reports/):
    <date>/report.md            the report in the first language (report.<lang>.md for others)
    <date>/news.png, papers.png category distributions; <kind>-trend.png when earlier days exist
    <date>/digest.<lang>.json   the digest, which `aidigest show` reads back
"""

from __future__ import annotations

import json
from pathlib import Path

from core.digest import Digest
from core.pipeline import BuiltDay, History
from core.report import render


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
    return written


def read_digest(out_dir: Path, day: str, lang: str) -> Digest | None:
    path = out_dir / day / f"digest.{lang}.json"
    if not path.exists():
        others = sorted((out_dir / day).glob("digest.*.json"))
        if not others:
            return None
        path = others[0]
    return Digest.model_validate_json(path.read_text("utf-8"))


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
        out[day] = {k: v["counts"] for k, v in raw.get("kinds", {}).items() if v.get("total")}
    return out


__all__ = ["History", "dates", "history", "read_digest", "write_day"]
