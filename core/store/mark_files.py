"""The watermarks on disk, for the CLI without Redis (core/watermarks.py's store):

    DIR/watermarks.json        {"marks": {source: mark}, "shown": {item id: day first shown}}
    DIR/<date>/window.json     {source: take}: the day's window and ids, beside its report

A commit writes the day's window.json, then watermarks.json, each whole (write, then rename),
and only then changes what this process sees. A crash between the two renames leaves a take
recorded whose mark did not move: the day replays as recorded, the next day may show some of
its items again (never loses them). Shown ids older than SHOWN_DAYS are dropped on writing.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from core.store.marks import SHOWN_DAYS
from core.watermark import Mark, Take, prune_shown, record_shown
from core.watermark_codec import dump_mark, dump_take, load_mark, load_take
from core.watermarks import MemoryWatermarks

STATE = "watermarks.json"
WINDOW = "window.json"


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        raise ValueError(f"{path}: unreadable ({e}); move it away to start afresh") from e


def _write(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(json.dumps(value, ensure_ascii=False, indent=1), "utf-8")
    os.replace(tmp, path)


class FileWatermarks(MemoryWatermarks):
    def __init__(self, out_dir: Path) -> None:
        super().__init__()
        self.out_dir = out_dir
        raw = _read(out_dir / STATE) or {}
        where = str(out_dir / STATE)
        if not isinstance(raw, dict):
            raise ValueError(f"{where}: expected an object with `marks` and `shown`")
        self.marks = {
            k: load_mark(v, f"{where}: marks.{k}") for k, v in raw.get("marks", {}).items()
        }
        self.first_shown = {str(k): str(v) for k, v in raw.get("shown", {}).items()}

    def recorded(self, day: str, source: str) -> Take | None:
        with self.lock:
            if day not in self.takes:
                path = self.out_dir / day / WINDOW
                raw = _read(path) or {}
                self.takes[day] = {k: load_take(v, f"{path}: {k}") for k, v in raw.items()}
            return super().recorded(day, source)

    def save(self, taken: Take, mark: Mark) -> None:
        day_takes = {**self.takes.get(taken.day, {}), taken.source: taken}
        _write(self.out_dir / taken.day / WINDOW, {k: dump_take(v) for k, v in day_takes.items()})
        oldest = (date.fromisoformat(taken.day) - timedelta(days=SHOWN_DAYS)).isoformat()
        shown = prune_shown(record_shown(self.first_shown, taken), oldest)
        marks = {**self.marks, taken.source: mark}
        _write(
            self.out_dir / STATE,
            {"marks": {k: dump_mark(v) for k, v in marks.items()}, "shown": shown},
        )
