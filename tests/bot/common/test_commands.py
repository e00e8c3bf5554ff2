"""`/aidigest` answered by bot.common (no platform): lookups, subscriptions, refusals."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.pipeline import BuiltDay
from tests.bot.helpers import COMMAND_WORDS, ask, publish, run

pytestmark = pytest.mark.usefixtures("redis_db")


def test_a_section_of_a_day(demo_day: BuiltDay) -> None:
    publish(demo_day)
    reply = run(ask("papers LLM 2024-10-04"))
    assert reply.ok and reply.found is not None
    [s] = reply.found.sections
    assert (s.kind, s.category, s.date, s.lang) == ("papers", "llm", "2024-10-04", "en")


def test_every_section_of_a_kind_and_the_overview(demo_day: BuiltDay) -> None:
    publish(demo_day)
    news = run(ask("news"))
    assert news.found is not None
    assert [s.category for s in news.found.sections] == list(
        dict.fromkeys(demo_day.digests["en"].kinds["news"].sections)
    )
    overview = run(ask(""))
    assert overview.found is not None and overview.found.overview is not None
    assert not overview.found.sections


def test_what_is_missing_says_what_would_work(demo_day: BuiltDay) -> None:
    assert "No digest is ready yet" in run(ask("papers llm")).text
    publish(demo_day)
    for text, said in [
        ("papers llm 2024-10-02", "Ready days: 2024-10-04"),
        ("papers llm 2024-10-99", "is not a date"),
        ("papers sports", "don't know the category"),
        ("dates extra", "takes no other words"),
    ]:
        reply = run(ask(text))
        assert not reply.ok and said in reply.text and "/aidigest" in reply.text, text


def test_subscribe_change_list_and_unsubscribe(demo_day: BuiltDay) -> None:
    got = run(ask("subscribe papers llm cv at 08:30 Europe/London"))
    assert got.ok and got.text.startswith("Subscribed")
    assert "papers (LLM, Computer Vision)" in got.text and "08:30 Europe/London" in got.text
    got = run(ask("subscribe news ko"))
    assert "news (all) + papers (LLM, Computer Vision)" in got.text and "Korean" in got.text
    assert "news (all)" in run(ask("subscriptions")).text
    got = run(ask("unsubscribe news"))
    assert "still gets: papers" in got.text
    assert run(ask("unsubscribe")).text.startswith("Unsubscribed: no more")
    assert "no daily post" in run(ask("subscriptions")).text
    assert not run(ask("unsubscribe")).ok


def test_only_managers_may_change_subscriptions() -> None:
    got = run(ask("subscribe papers", manager=False))
    assert not got.ok and "Only" in got.text and "/aidigest subscriptions" in got.text
    assert "no daily post" in run(ask("subscriptions", manager=False)).text


def test_help_and_dates(demo_day: BuiltDay) -> None:
    assert "/aidigest subscribe" in run(ask("help")).text and run(ask("help")).pre
    publish(demo_day)
    assert run(ask("dates")).text.endswith("2024-10-04")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(max_size=80)
    | st.lists(
        st.sampled_from(COMMAND_WORDS),
        max_size=6,
    ).map(" ".join)
)
def test_no_text_raises_and_every_answer_says_something(text: str) -> None:
    reply = run(ask(text))
    assert reply.text or reply.found is not None
    if not reply.ok:
        assert "/aidigest" in reply.text
