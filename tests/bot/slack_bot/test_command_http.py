"""`/aidigest` as Slack sends it: signed form posts over real HTTP to the running app."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redis import Redis as SyncRedis

from bot.slack_bot import command
from bot.slack_bot.web_links import WebLinks
from core.pipeline import BuiltDay
from core.search import SearchWriter
from core.store.keys import Keys
from tests.bot.helpers import COMMAND_WORDS, HOSTILE, PREFIX, hostile, publish
from tests.bot.slack_bot.conftest import SECRET, TOKEN, AckRefused, Served
from tests.doubles.slack_requests import command_body, signed_headers
from tests.doubles.slack_rules import block_errors, markup, message_texts

WEB = "https://digest.example.org"


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


def test_an_ack_slack_cannot_show_fails_the_command(
    app: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stand-in checks the HTTP answer like a message; the harness fails the command."""
    oversized = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3000}}] * 5

    def too_long(*args: Any) -> list[dict[str, Any]]:
        return [{"response_type": "ephemeral", "blocks": oversized, "text": "x"}]

    monkeypatch.setattr(command, "messages", too_long)
    try:
        with pytest.raises(AckRefused, match="msg_blocks_too_long"):
            app.command("help")
    finally:
        app.services.answers.clear()  # the oversized answer was kept for the next "help"
    assert app.api.ack_refusals == ["msg_blocks_too_long"] and app.api.ephemerals == []


def test_a_wrong_signature_or_an_old_timestamp_is_refused(app: Served) -> None:
    assert app.command("help", secret="not-the-secret").status_code == 401
    assert app.command("help", timestamp=int(time.time()) - 301).status_code == 401
    assert app.command("help", timestamp=int(time.time()) - 200).status_code == 200


def test_a_malformed_timestamp_is_refused_with_401(app: Served) -> None:
    body = command_body("help", response_url=app.api.response_url())
    for stamp in ("abc", "", "1.5e9", "-300", "0x6500", "9" * 40):
        headers = {**signed_headers(SECRET, body), "X-Slack-Request-Timestamp": stamp}
        r = httpx.post(f"{app.url}/slack/events", content=body, headers=headers)
        assert r.status_code == 401, stamp


def test_a_refused_request_leaves_no_trace_of_its_body_in_the_logs(
    app: Served, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in [n for n in logging.root.manager.loggerDict if "bolt" in n]:
        caplog.set_level(logging.DEBUG, logger=name)  # as verbose as a deployment could be
    answer_to = app.api.response_url()
    body = command_body("papers secret-words", response_url=answer_to)
    headers = signed_headers("not-the-secret", body)
    r = httpx.post(f"{app.url}/slack/events", content=body, headers=headers)
    assert r.status_code == 401
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (answer_to, "secret-words", quote(answer_to, safe="")):
        assert secret not in logged
    assert "bad signature" in logged


def test_healthz(app: Served) -> None:
    r = httpx.get(f"{app.url}/healthz")
    want = {"ok": True, "redis": "ok", "slack": "ok", "mode": "http"}
    assert r.status_code == 200 and r.json() == want


def test_healthz_says_when_slack_refuses_the_token(app: Served) -> None:
    app.api.revoke(TOKEN)
    app.check.recheck = 0.0  # ask Slack again now
    r = httpx.get(f"{app.url}/healthz")
    assert r.status_code == 503 and r.json()["slack"] == "token_revoked"


def test_share_posts_in_the_channel(app: Served, day: BuiltDay) -> None:
    publish(day)
    assert app.command("share news 2024-10-04 llm").json()["response_type"] == "in_channel"


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


@pytest.fixture
def public(app: Served) -> Iterator[Served]:
    """The app with DIGEST_PUBLIC_URL set: answers link to the web archive."""
    services = app.services
    before = (services.links, services.commands.public_url)
    services.links = WebLinks(WEB, "en")
    services.commands.public_url = WEB
    yield app
    services.links, services.commands.public_url = before
    services.published("")  # no linked answer outlives the test


def test_search_answers_the_top_hits_with_their_day_and_page(
    public: Served, day: BuiltDay, redis_db: SyncRedis
) -> None:
    built = hostile(day)
    publish(built)
    SearchWriter(redis_db, Keys(PREFIX)).index_built(built)
    body = public.command("search diffusion models papers").json()
    assert body["response_type"] == "ephemeral" and not block_errors(body["blocks"])
    lines = "\n".join(message_texts(body)[1:]).split("\n")  # the blocks (not the fallback)
    assert any("results for “diffusion models”" in x for x in lines)
    hits = [x for x in lines if re.match(r"\d+\. 2024-10-04 · papers · ", x)]
    pages = [x.strip() for x in lines if x.strip().startswith(WEB)]
    assert len(hits) == len(pages) == 5  # the top five, each with its section's page
    assert all(re.fullmatch(WEB + r"/2024-10-04/papers/[a-z-]+", p) for p in pages)
    nothing = texts(public.command("search qqqzzzxxx").json())
    assert "Nothing found for “qqqzzzxxx”" in nothing and WEB not in nothing
    assert HOSTILE not in texts(public.command("search click onerror alert").json())


def test_each_section_shown_links_to_its_page_on_the_web(public: Served, day: BuiltDay) -> None:
    publish(day)
    body = public.command("llm 2024-10-04").json()  # LLM in news and in papers
    assert not block_errors(body["blocks"])
    heads = [b["text"]["text"] for b in body["blocks"] if b["type"] == "header"]
    assert heads == ["LLM · News · 2024-10-04", "LLM · Papers · 2024-10-04"]
    shown = texts(body)
    for kind in ("news", "papers"):
        page = f"<{WEB}/2024-10-04/{kind}/llm|Daily Artificial Intelligence Insights · LLM · "
        assert page + "2024-10-04>" in shown, kind
    overview = texts(public.command("papers 2024-10-04").json())
    assert f"<{WEB}/2024-10-04|Full digest>" in overview


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
