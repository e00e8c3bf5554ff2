"""`/aidigest search` answered by the shared dispatcher: hits with their day, kind and category,
a link per hit when DIGEST_PUBLIC_URL is set, hostile titles made plain, and "nothing found"
with what to try."""

from __future__ import annotations

import re

import pytest
from redis import Redis

from core.pipeline import BuiltDay
from core.search import SearchWriter
from core.store.keys import Keys
from tests.bot.helpers import PREFIX, ask, hostile, publish, run


@pytest.fixture
def indexed(redis_db: Redis[bytes], demo_day: BuiltDay) -> BuiltDay:
    day = hostile(demo_day)
    publish(day)
    SearchWriter(redis_db, Keys(PREFIX)).index_built(day)
    return day


def test_hits_with_day_category_and_links(indexed: BuiltDay) -> None:
    reply = run(ask("search diffusion models papers", public_url="https://digest.example.org"))
    assert reply.ok and reply.found is None
    lines = reply.text.splitlines()
    assert "results for “diffusion models”" in lines[0]
    assert lines[1].startswith("1. 2024-10-04 · papers · ")
    links = [x.strip() for x in lines if x.strip().startswith("https://")]
    assert len(links) == 5
    assert all(x.startswith("https://digest.example.org/2024-10-04/papers/") for x in links)
    assert "?lang" not in reply.text  # the bot's language is the site's default


def test_without_a_public_url_no_links(indexed: BuiltDay) -> None:
    reply = run(ask("search 에이전트", lang="ko"))
    assert reply.ok and "2024-10-04 · news · LLM" in reply.text
    assert "http" not in reply.text.replace("https://", "")  # no page links (titles may hold URLs)
    assert "digest.example" not in reply.text


def test_category_filter(indexed: BuiltDay) -> None:
    reply = run(ask("search model llm"))
    hit_lines = [x for x in reply.text.splitlines() if re.match(r"\d+\. ", x)]
    assert hit_lines and all("· LLM ·" in x for x in hit_lines)


def test_hostile_titles_are_plain_text(indexed: BuiltDay) -> None:
    reply = run(ask("search click onerror alert"))
    assert reply.ok
    for bad in ("<", ">", "@", "`", "*", "[", "]"):
        assert bad not in reply.text, bad


def test_nothing_found_says_what_to_try(indexed: BuiltDay) -> None:
    reply = run(ask("search qqqzzzxxx"))
    assert not reply.ok and "Nothing found" in reply.text and "qqqzzzxxx" in reply.text


def test_search_without_words_is_a_clear_refusal(indexed: BuiltDay) -> None:
    reply = run(ask("search papers"))
    assert not reply.ok and "/aidigest search" in reply.text
