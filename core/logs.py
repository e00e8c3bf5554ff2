"""Logging for every process: JSON lines when not on a terminal, text otherwise; secrets masked.

Entry points call `setup_logging(settings)` once. The redaction filter masks the configured
secret values and anything shaped like a Slack, Discord or OpenAI token, in the message and in
exception text, so no log line can carry one.

`setup_logging` also installs exception hooks (the main thread and every other thread): an
uncaught exception is one redacted log record, never a raw traceback. With `capture_stderr`
whatever else is written to stderr becomes log records too, a traceback as one record: that is
how a traceback printed by a child process (RQ's scheduler, a forked job) is redacted as well.
"""

from __future__ import annotations

import io
import json
import logging
import re
import sys
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from types import TracebackType
from typing import TextIO

_TOKEN_SHAPES = re.compile(
    r"xox[abposr]-[A-Za-z0-9-]{8,}|xapp-[A-Za-z0-9-]{8,}|sk-[A-Za-z0-9_-]{16,}|"
    r"[MN][A-Za-z\d]{23,25}\.[\w-]{6}\.[\w-]{27,}"
)
MASK = "***"


class Redactor(logging.Filter):
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def scrub(self, text: str) -> str:
        for s in self.secrets:
            text = text.replace(s, MASK)
        return _TOKEN_SHAPES.sub(MASK, text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.scrub(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = self.scrub(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key in ("date", "job", "source", "section", "platform", "channel", "sub"):
            if hasattr(record, key):
                out[key] = getattr(record, key)
        if record.exc_text:
            out["exc"] = record.exc_text
        return json.dumps(out, ensure_ascii=False)


def setup_logging(
    fmt: str = "auto",
    secrets: Iterable[str] = (),
    level: int | str = logging.INFO,
    *,
    capture_stderr: bool = False,
) -> None:
    """Configure the root logger. fmt: auto (JSON unless stderr is a terminal), json or text.
    Installs the exception hooks; with `capture_stderr`, stderr itself goes through logging."""
    stream = sys.stderr.original if isinstance(sys.stderr, StderrToLog) else sys.stderr
    handler = logging.StreamHandler(stream)
    use_json = fmt == "json" or (fmt == "auto" and not stream.isatty())
    handler.setFormatter(
        JsonFormatter()
        if use_json
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(Redactor(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    install_exception_hooks()
    if capture_stderr and not isinstance(sys.stderr, StderrToLog):
        sys.stderr = StderrToLog(stream)


def _log_uncaught(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None, where: str
) -> None:
    logging.getLogger("uncaught").critical(
        "uncaught %s%s: %s", kind.__name__, where, value, exc_info=(kind, value, tb)
    )


def install_exception_hooks(secrets: Iterable[str] | None = None) -> None:
    """Uncaught exceptions, in the main thread or any other, become one redacted log record.
    Given `secrets`, the "uncaught" logger gets a redacting handler of its own: for a process
    that does not otherwise configure logging (the CLI)."""
    if secrets is not None:
        own = logging.StreamHandler(sys.stderr)
        own.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        own.addFilter(Redactor(secrets))
        uncaught = logging.getLogger("uncaught")
        uncaught.handlers[:] = [own]
        uncaught.propagate = False

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            return sys.__excepthook__(kind, value, tb)
        _log_uncaught(kind, value, tb, "")

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None and not issubclass(args.exc_type, SystemExit):
            name = f" in thread {args.thread.name}" if args.thread else ""
            _log_uncaught(args.exc_type, args.exc_value, args.exc_traceback, name)

    sys.excepthook = hook
    threading.excepthook = thread_hook


class StderrToLog(io.TextIOBase):
    """A stand-in for sys.stderr that logs what is written to it (logger "stderr", level
    error): each line as it completes, a traceback ("Traceback (most recent call last):" to
    its exception line) as one record. `original` is the real stream the handler writes to."""

    def __init__(self, original: TextIO) -> None:
        super().__init__()
        self.original = original
        self._lock = threading.RLock()
        self._partial = ""
        self._traceback: list[str] = []
        self._busy = threading.local()  # a logging error must not write back into us

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self.original.fileno()

    def write(self, text: str) -> int:
        if getattr(self._busy, "on", False):
            return self.original.write(text)
        with self._lock:
            lines = (self._partial + text).split("\n")
            self._partial = lines.pop()
            for line in lines:
                self._line(line)
        return len(text)

    def flush(self) -> None:
        with self._lock:
            if self._partial:
                self._line(self._partial)
                self._partial = ""
            if self._traceback:
                self._emit("\n".join(self._traceback))
                self._traceback = []
        self.original.flush()

    def _line(self, line: str) -> None:
        if line.startswith("Traceback (most recent call last):"):
            self._traceback = [line]
        elif self._traceback and (line.startswith(" ") or not line):
            self._traceback.append(line)
        elif self._traceback:  # the exception line ends the traceback
            self._emit("\n".join([*self._traceback, line]))
            self._traceback = []
        elif line.strip():
            self._emit(line)

    def _emit(self, text: str) -> None:
        self._busy.on = True
        try:
            logging.getLogger("stderr").error("%s", text)
        finally:
            self._busy.on = False
