"""The logs of the whole end-to-end run: every aidigest process (and every `aidigest` CLI call)
wrote JSON lines, as DIGEST_LOG_FORMAT=auto does when its output is not a terminal, and not one
of them carries a secret the stack was configured with: the Slack bot token and signing secret,
the Discord token, the OpenAI key, the Redis password. Nor does anything the bots posted."""

from __future__ import annotations

import json
from datetime import date

import httpx
import pytest

from tests.doubles.slack_requests import command_body, signed_headers
from tests.system.play import World
from tests.system.posts import text_of

pytestmark = [pytest.mark.system, pytest.mark.timeout(900)]


def provoke(world: World) -> None:
    """Paths that handle secrets: a slash command signed with the wrong secret (refused), one
    signed right, and a status report."""
    body = command_body("dates", team="T0SYSTEM", channel="C0SEOUL")
    forged = httpx.post(f"{world.stack.slack_url}/slack/events", content=body,
                        headers=signed_headers("not-the-secret", body), timeout=10)  # fmt: skip
    assert forged.status_code == 401
    assert "Ready days" in text_of(world.slack_command("dates"))
    world.stack.cli(["status"], world.offsets["cron"])


def test_every_log_line_is_json_and_no_secret_is_anywhere(world: World) -> None:
    if not world.played:  # run on its own: play a day, so that there are logs to read
        world.stack.control("llm", "POST", "/_faults", {"faults": [{"kind": "401", "times": 1}]})
        world.key_echoed = True
        day = world.open_day(date(2024, 10, 3))
        world.wait_published(day)
        world.wait_delivered(day)
    provoke(world)
    world.stack.stop()  # every process ends: its log is complete

    logs = world.stack.product_logs()
    names = {p.name.split("-")[0] for p in logs}
    assert {"worker", "cron", "slack", "discord", "cli"} <= names
    secrets = world.stack.secrets
    lines, masked = 0, 0
    for path in logs:
        text = path.read_text("utf-8", errors="replace")
        for name, value in secrets.items():
            assert value not in text, f"{name} appears in {path.name}"
        masked += text.count("Incorrect API key provided: ***")
        if path.name.startswith("cli-"):
            continue  # the CLI's report is for people; its log lines are checked in the others
        for line in text.splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                pytest.fail(f"{path.name}: not a JSON line: {line[:300]!r}")
            assert {"ts", "level", "logger", "msg"} <= set(record), f"{path.name}: {line[:300]}"
            lines += 1
    assert lines > 100  # the run really logged
    if world.key_echoed:  # the key reached a log line, and was masked there
        assert masked >= 1

    posted = json.dumps(world.stack.control("slack_api", "GET", "/_messages"))
    posted += json.dumps(world.control.messages())
    for name, value in secrets.items():
        assert value not in posted, f"{name} was posted"
