"""The grammar's examples rewritten as slash commands, and autocomplete choices (pure)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.discord_bot import autocomplete as ac
from bot.discord_bot.texts import help_text, slashify
from core.taxonomy import load_taxonomy

TX = load_taxonomy()
TODAY = date(2024, 10, 6)


@pytest.mark.parametrize(
    ("text", "slash"),
    [
        ("Try: `/aidigest papers LLM 2024-10-04`",
         "Try: `/aidigest show kind:papers category:LLM date:2024-10-04`"),
        ("`/aidigest cv` or `/aidigest dates`",
         "`/aidigest show category:Computer Vision` or `/aidigest dates`"),
        ("`/aidigest subscribe papers LLM cv at 08:30 Asia/Seoul en`",
         "`/aidigest subscribe kinds:papers categories:LLM, Computer Vision time:08:30 "
         "timezone:Asia/Seoul language:en`"),
        ("`/aidigest unsubscribe news`", "`/aidigest unsubscribe kinds:news`"),
        ("`/aidigest help subscribe`", "`/aidigest help topic:subscribe`"),
        ("`/aidigest nonsense words`", "`/aidigest nonsense words`"),  # unparsable: as it was
    ],
)  # fmt: skip
def test_slashify(text: str, slash: str) -> None:
    assert slashify(text, TX, TODAY) == slash


def test_help_is_in_the_users_language_and_lists_categories() -> None:
    assert "/aidigest show" in help_text("en", TX) and "Manage Server" in help_text("en", TX)
    assert "서버 관리" in help_text("ko", TX)
    assert "Reinforcement Learning" in help_text("en", TX, "categories")


def test_category_choices() -> None:
    papers = ac.categories(TX, "papers", "vis")
    assert papers[0].value == "computer-vision" and len(papers) <= 25
    both = {c.value: c.name for c in ac.categories(TX, None, "llm")}
    assert both["llm"] == "LLM (news, papers)"
    assert ac.categories(TX, "news", "robot") == []  # robotics is a papers category
    listed = ac.category_list(TX, "papers", "LLM, comp")
    assert [c.value for c in listed] == ["LLM, Computer Vision"]


def test_time_and_zone_choices() -> None:
    assert ac.timezones("seoul")[0].value == "Asia/Seoul"
    assert all("london" in c.value.lower() for c in ac.timezones("london"))
    assert len(ac.timezones("")) == 25
    assert [c.value for c in ac.times("08")] == ["08", "08:00", "08:30"]
