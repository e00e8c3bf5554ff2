"""`aidigest classify`: classify your own items, to try a taxonomy before a morning build uses it.

    aidigest classify [--taxonomy FILE] [--offline] < items.jsonl > labelled.jsonl

Reads JSON lines `{"kind": "news"|"papers", "title": …, "text": …}` (text optional; other
fields are kept) and writes each line back with `category` (a category id of its kind) and `ai`
(false: the item is not about AI, and a build would skip it) added, decided by the configured
classifier: the LLM when OPENAI_API_KEY or OPENAI_BASE_URL is set (unless --offline), else the
offline classifier (DIGEST_CLASSIFIER). Items are judged together, as a day's items are: the
offline relevance decision weighs how many of them look like AI.

A line that is not an object with a kind and a title is written back with an `error` instead
(and said on stderr); the exit status is then 1. Nothing is dropped.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from core.classify import NOT_AI, OfflineClassifier
from core.engine import make_engine
from core.items import KINDS, Item
from core.settings import Settings
from core.taxonomy import load_taxonomy


def add(sub: Any) -> dict[str, Any]:
    q = sub.add_parser("classify", help="classify JSON lines from stdin: category and ai added")
    q.add_argument("--taxonomy", help="a taxonomy TOML file (default: DIGEST_TAXONOMY_FILE)")
    q.add_argument(
        "--offline", action="store_true", help="the offline classifier, even if an LLM is set"
    )
    return {"classify": cmd_classify}


def cmd_classify(args: argparse.Namespace, settings: Settings) -> int:
    return classify_lines(args, settings, sys.stdin, sys.stdout, sys.stderr)


def classify_lines(
    args: argparse.Namespace, settings: Settings, stdin: TextIO, stdout: TextIO, stderr: TextIO
) -> int:
    taxonomy = load_taxonomy(args.taxonomy or settings.digest.taxonomy_file)
    rows: list[dict[str, Any]] = []
    items: dict[int, Item] = {}
    for n, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        row, item, problem = _read(n, line)
        if problem:
            row["error"] = problem
            print(f"aidigest classify: line {n}: {problem}", file=stderr)
        elif item is not None:
            items[len(rows)] = item
        rows.append(row)
    if items:
        engine = make_engine(settings, offline=args.offline)
        labels = engine.classify(list(items.values()), taxonomy)
        fallback = OfflineClassifier()  # the category of an item the LLM called not about AI
        for at, item in items.items():
            label = labels.get(item.id)
            ai = label != NOT_AI
            if label not in taxonomy.ids(item.kind):
                label = fallback([item], taxonomy)[item.id]
            rows[at].update(category=label, ai=ai)
    for row in rows:
        stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    stdout.flush()
    return 1 if any("error" in r for r in rows) else 0


def _read(n: int, line: str) -> tuple[dict[str, Any], Item | None, str]:
    """The line's object, its item, and what is wrong with it ("" when nothing)."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as e:
        return {"line": n, "input": line.rstrip("\n")}, None, f"not JSON ({e.msg})"
    if not isinstance(row, dict):
        return {"line": n, "input": row}, None, "not a JSON object"
    kind, title, text = row.get("kind"), row.get("title"), row.get("text", "")
    if kind not in KINDS:
        return row, None, f"kind must be news or papers, not {kind!r}"
    if not isinstance(title, str) or not title.strip():
        return row, None, "title must be a non-empty string"
    if not isinstance(text, str):
        return row, None, "text must be a string"
    item = Item(id=f"line:{n}", kind=kind, title=title, summary=text, url="", source="stdin")
    return row, item, ""
