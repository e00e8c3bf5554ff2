"""Logs are JSON off a terminal and never carry a secret."""

from __future__ import annotations

import json
import logging

import pytest

from core.logs import JsonFormatter, Redactor, setup_logging


def test_configured_secrets_and_token_shapes_are_masked() -> None:
    r = Redactor(["hunter2-signing-secret"])
    line = r.scrub(
        "auth with xoxb-1234-5678-abcdefgh and xapp-1-A0-99-zz and sk-proj-abcdefghijklmnop1234 "
        "and secret hunter2-signing-secret"
    )
    for secret in ("xoxb-1234", "xapp-1-A0", "sk-proj-abcd", "hunter2-signing-secret"):
        assert secret not in line
    assert line.count("***") == 4


def test_json_lines_with_exceptions_scrubbed(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging("json", secrets=["topsecretvalue"])
    log = logging.getLogger("aidigest.test")
    try:
        raise RuntimeError("token topsecretvalue rejected")
    except RuntimeError:
        log.exception("posting failed for %s", "topsecretvalue", extra={"channel": "C1"})
    line = capsys.readouterr().err.strip().splitlines()[-1]
    rec = json.loads(line)
    assert rec["level"] == "error" and rec["channel"] == "C1"
    assert "topsecretvalue" not in line and "RuntimeError" in rec["exc"]
    logging.getLogger().handlers.clear()


def test_formatter_is_plain_json() -> None:
    rec = logging.LogRecord("x", logging.INFO, __file__, 1, "héllo 한국어", None, None)
    out = json.loads(JsonFormatter().format(rec))
    assert out["msg"] == "héllo 한국어" and out["logger"] == "x"
