"""Overviews and the daily post's header (bot/slack_bot/overview.py): the per-category counts as
text in both header modes, notes cut without splitting an entity, and a kind's overview within
Slack's limits whatever the taxonomy."""

from __future__ import annotations

import re

import pytest

from bot.slack_bot.limits import MAX_BLOCKS, MAX_MESSAGE_TEXT, text_size
from bot.slack_bot.mrkdwn import clip
from bot.slack_bot.overview import counts_line, day_overview, kind_overview, post_header
from bot.slack_bot.web_links import WebLinks
from core.digest import Digest, KindDigest
from core.pipeline import BuiltDay
from tests.doubles.slack_rules import block_errors, message_texts

WEB = WebLinks("https://digest.example.org", "en")
ENTITY = re.compile(r"&(amp|lt|gt);")


def shown(blocks: list[dict[str, object]]) -> str:
    return "\n".join(message_texts({"blocks": blocks}))


def broken_entities(text: str) -> list[str]:
    """Every `&` that does not start one of the entities Slack's escaping makes."""
    return re.findall(r"&\S{0,4}", ENTITY.sub("", text))


def with_note(digest: Digest, kind: str, note: str) -> Digest:
    kinds = dict(digest.kinds)
    kinds[kind] = kinds[kind].model_copy(update={"note": note})
    return digest.model_copy(update={"kinds": kinds})


@pytest.mark.parametrize(
    ("uploads", "links"), [(True, WebLinks()), (True, WEB), (False, WEB)], ids=str
)
def test_the_post_header_writes_out_each_categorys_count(
    demo_day: BuiltDay, uploads: bool, links: WebLinks
) -> None:
    digest = demo_day.digests["en"]
    blocks = post_header(digest, links, uploads=uploads)
    assert not block_errors(blocks) and text_size(blocks) <= MAX_MESSAGE_TEXT
    text = shown(blocks)
    assert "*Papers* — 159 items\nModel Training 50 · LLM 46 · Computer Vision 25 · " in text
    assert "Audio &amp; Speech 5" in text and "Healthcare AI 1" in text
    assert "*News* — 71 items\nAI Business 31 · LLM 19 · Products &amp; Tools 7 · " in text
    assert "Others 0" not in text  # a category without items is not listed
    assert "████" not in text  # no text chart: the charts are images (shared or the web's)


def test_with_text_bars_the_header_does_not_say_the_counts_twice(demo_day: BuiltDay) -> None:
    text = shown(post_header(demo_day.digests["en"], WebLinks(), uploads=False))
    assert "████" in text and "Model Training" in text
    assert "Model Training 50 · LLM 46" not in text  # the bars carry the counts


def test_counts_stay_within_their_budget_and_cut_between_categories() -> None:
    kd = KindDigest(
        kind="papers",
        total=400,
        counts={f"c{i}": 400 - i for i in range(200)},
        names={f"c{i}": f"Category & {i}" for i in range(200)},
        sections=[],
    )
    line = counts_line(kd, limit=300)
    assert len(line) <= 300 and line.endswith(" · …")
    assert line.startswith("Category &amp; 0 400 · Category &amp; 1 399 · ")
    assert not broken_entities(line)
    assert all(re.fullmatch(r"Category &amp; \d+ \d+", p) for p in line.split(" · ")[:-1])


@pytest.mark.parametrize("before", [2995, 2996, 2997, 2998, 2999, 3000])
def test_a_note_is_cut_without_splitting_an_entity(demo_day: BuiltDay, before: int) -> None:
    """A `&` near the 3,000th character: escaped to `&amp;`, it must not end as `&am`."""
    digest = with_note(demo_day.digests["en"], "papers", "n" * before + "& more " * 200)
    for blocks in (
        post_header(digest, WEB, uploads=True),
        kind_overview(digest, "papers", digest.sections, WEB),
        day_overview(digest, WEB),
    ):
        assert not block_errors(blocks)
        notes = [t for t in message_texts({"blocks": blocks}) if t.startswith("nnn")]
        assert len(notes) == 1 and len(notes[0]) <= 3000
        assert not broken_entities(notes[0]), notes[0][-12:]


def test_clip_keeps_what_fits_and_never_cuts_an_atom() -> None:
    assert clip("short &amp; sweet", 100) == "short &amp; sweet"
    assert clip("ab &amp; cd", 6) == "ab…"
    assert clip("ab <https://x.example|link> cd", 20) == "ab…"
    assert clip("x" * 50, 10) == "x" * 9 + "…"


def test_a_kind_overview_of_a_huge_taxonomy_is_one_message_within_the_limits(
    demo_day: BuiltDay,
) -> None:
    """60 categories with long names (each `&` escaped to five characters): no number of titles
    fits, so the overview is cut with a note, still within 50 blocks and the text limit."""
    digest = demo_day.digests["en"]
    cats = [f"cat-{i}" for i in range(60)]
    kd = KindDigest(
        kind="papers",
        total=600,
        counts=dict.fromkeys(cats, 10),
        names={c: f"{c} " + "R&D " * 40 for c in cats},
        sections=cats,
    )
    huge = digest.model_copy(update={"kinds": {"papers": kd}})
    blocks = kind_overview(huge, "papers", [], WEB)
    assert len(blocks) <= MAX_BLOCKS and text_size(blocks) <= MAX_MESSAGE_TEXT
    assert not block_errors(blocks)
    assert "More categories than fit" in shown(blocks[-1:])
    assert "cat-0 R&amp;D" in shown(blocks)
