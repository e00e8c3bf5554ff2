"""`/aidigest` as Slack sends it: signed form posts over real HTTP to the running app."""

from __future__ import annotations

import time
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.pipeline import BuiltDay
from tests.bot.helpers import HOSTILE, hostile, publish
from tests.bot.slack_bot.conftest import Served
from tests.doubles.slack_rules import block_errors, markup, message_texts


def texts(body: dict[str, Any]) -> str:
    return "\n".join(message_texts(body))


def test_a_signed_command_gets_its_answer_in_the_ack(app: Served, day: BuiltDay) -> None:
    publish(day)
    r = app.command("papers LLM 2024-10-04")
    assert r.status_code == 200
    body = r.json()
    assert body["response_type"] == "ephemeral"
    assert body["blocks"][0]["text"]["text"] == "LLM · Papers · 2024-10-04"
    assert not block_errors(body["blocks"])
    section = day.digests["en"].section("papers", "llm")
    assert section is not None
    assert all(ref.url in texts(body) for ref in section.sources)


def test_a_wrong_signature_or_an_old_timestamp_is_refused(app: Served) -> None:
    assert app.command("help", secret="not-the-secret").status_code == 401
    assert app.command("help", timestamp=int(time.time()) - 301).status_code == 401
    assert app.command("help", timestamp=int(time.time()) - 200).status_code == 200


def test_healthz(app: Served) -> None:
    r = httpx.get(f"{app.url}/healthz")
    assert r.status_code == 200 and r.json() == {"ok": True, "redis": "ok", "mode": "http"}


def test_share_posts_in_the_channel(app: Served, day: BuiltDay) -> None:
    publish(day)
    assert app.command("share news 2024-10-04 llm").json()["response_type"] == "in_channel"


def test_a_long_answer_continues_through_the_response_url(app: Served, day: BuiltDay) -> None:
    publish(day)
    first = app.command("papers 2024-10-04").json()
    assert len(first["blocks"]) == 50
    deadline = time.monotonic() + 5
    while not app.api.responses and time.monotonic() < deadline:
        time.sleep(0.05)
    more = app.api.responses
    assert more and all(len(m["blocks"]) <= 50 and not block_errors(m["blocks"]) for m in more)
    shown = texts(first) + "".join(texts(m) for m in more)
    for s in day.digests["en"].sections:
        if s.kind == "papers":
            assert s.sources[0].url in shown


def test_a_slow_answer_is_acked_at_once_and_follows(app: Served, day: BuiltDay) -> None:
    publish(day)
    app.services.ack_budget = 0.0  # as if Redis were slow: no answer within the budget
    try:
        first = app.command("papers LLM 2024-10-04").json()
    finally:
        app.services.ack_budget = 2.0
    assert "Working on it" in first["text"] and first["response_type"] == "ephemeral"
    deadline = time.monotonic() + 5
    while not app.api.responses and time.monotonic() < deadline:
        time.sleep(0.05)
    [follow] = app.api.responses
    assert follow["blocks"][0]["text"]["text"] == "LLM · Papers · 2024-10-04"


def test_errors_and_help_say_what_would_work(app: Served, day: BuiltDay) -> None:
    publish(day)
    for text in ("papers sportz", "papers 2031-01-01", "subscribe at 25:00", "dates now"):
        body = app.command(text).json()
        assert body["response_type"] == "ephemeral" and "/aidigest" in texts(body), text
    assert texts(app.command("help").json()).count("/aidigest") > 5


def test_only_admins_subscribe_when_the_policy_says_so(app: Served) -> None:
    app.services.policy = "admins"
    app.api.add_user("U1")
    app.api.add_user("U2", admin=True)
    refused = texts(app.command("subscribe papers llm", user="U1").json())
    assert "Only workspace admins and owners" in refused
    assert "Subscribed" in texts(app.command("subscribe papers llm", user="U2").json())
    assert "Only" in texts(app.command("unsubscribe", user="U9").json())  # unknown user: no
    assert "papers (LLM)" in texts(app.command("subscriptions", user="U1").json())


def test_a_hostile_feed_title_arrives_as_harmless_text(app: Served, day: BuiltDay) -> None:
    built = hostile(day)
    publish(built)
    s = built.digests["en"].sections[0]
    body = app.command(f"{s.kind} {s.category} 2024-10-04").json()
    shown = texts(body)
    assert "&lt;!channel&gt; click &lt;http://evil|here&gt;" in shown
    for token in markup(shown):  # every <…> is one of our links to a source
        assert token.split("|", 1)[0] in {ref.url for ref in s.sources}, token
    assert HOSTILE not in shown


COMMAND_WORDS = [
    "papers",
    "news",
    "all",
    "llm",
    "cv",
    "today",
    "yesterday",
    "-1",
    "2024-10-04",
    "share",
    "help",
    "dates",
    "subscribe",
    "unsubscribe",
    "subscriptions",
    "at",
    "08:30",
    "Asia/Seoul",
    "ko",
    "<!here>",
    "<@U1>",
    "&",
    "　",
    "\u202e",
    "99:99",
]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=st.text(max_size=200) | st.lists(st.sampled_from(COMMAND_WORDS), max_size=7).map(" ".join)
)
def test_every_command_text_gets_a_reply_in_time(served: Served, text: str) -> None:
    r = served.command(text)  # times out (and fails) after 3 s, Slack's deadline
    assert r.status_code == 200
    body = r.json()
    assert body["response_type"] in ("ephemeral", "in_channel") and texts(body).strip()
    assert not block_errors(body["blocks"])
