"""The offline summariser: five parts, cited, about exactly its own sources, and readable in the
digest's language — quoted source text visibly quoted and short, no sentence said twice, and
"most noticed" only when a signal says so."""

import re

from core.digest import Section
from core.extractive import summarise_offline
from core.headings import PART_KEYS, headings
from core.items import Item
from core.llm.language import prose, script_shares
from core.plan import SectionInput
from tests.core.builders import paper, story
from tests.core.grounding import grounding_problems

_QUOTE = re.compile(r"“[^”]*”|「[^」]*」|‘[^’]*’")


def items_about(topic: str, n: int, prefix: str, upvotes: bool = True) -> tuple[Item, ...]:
    return tuple(
        paper(
            f"{prefix}{i}",
            f"{topic} study number {i}",
            summary=f"We study {topic} in setting {i}. "
            f"Our {topic} method improves accuracy by {i}%.",
            upvotes=i if upvotes else 0,
        )
        for i in range(1, n + 1)
    )


def section_input(
    items: tuple[Item, ...], lang: str = "ko", name: str = "Robotics"
) -> SectionInput:
    return SectionInput(
        date="2024-10-04",
        lang=lang,
        kind="papers",
        category=name.lower(),
        name=name,
        description="",
        items=items,
        total=len(items) + 3,
    )


def _text(s: Section, key: str) -> str:
    return next(p.text for p in s.parts if p.key == key)


def test_five_parts_with_language_headings_and_citations_in_range() -> None:
    for lang in ("ko", "en"):
        s = summarise_offline(section_input(items_about("quadruped locomotion", 4, "a"), lang))
        assert [p.key for p in s.parts] == list(PART_KEYS)
        assert [p.heading for p in s.parts] == [headings(lang)[k] for k in PART_KEYS]
        assert all(p.text.strip() for p in s.parts)
        assert s.citations() == {1, 2, 3, 4}
        assert [r.n for r in s.sources] == [1, 2, 3, 4] and s.mode == "offline"


def test_connective_text_is_in_korean_for_a_korean_digest() -> None:
    s = summarise_offline(section_input(items_about("quadruped locomotion", 4, "k")))
    for key in ("themes", "keywords", "impact", "conclusion"):
        own_words = prose(_QUOTE.sub(" ", _text(s, key)))  # what the template itself says
        hangul, _, letters = script_shares(own_words)
        assert letters and hangul > 0.6, (key, _text(s, key))
    assert "오늘 7건 가운데 상위 4건" in _text(s, "themes")  # counts from the data
    assert "arXiv 4건" in _text(s, "themes")  # where the items came from


def test_each_item_is_described_under_its_own_number_in_a_short_visible_quote() -> None:
    items = items_about("grasping", 3, "g")
    events = _text(summarise_offline(section_input(items)), "events").splitlines()
    for n, (line, item) in enumerate(zip(events, items, strict=True), start=1):
        assert line.startswith(f"- 「{item.title}」: “We study grasping in setting {n}.”")
        assert line.endswith(f"[{n}]")
    long = paper("long", "Long", summary="A " + "very " * 80 + "long opening sentence. Second one.")
    quote = _text(summarise_offline(section_input((long,))), "events").split(": ", 1)[1]
    assert quote.startswith("“A very") and quote.endswith("…” [1]") and len(quote) < 135


def test_reference_markers_of_abstracts_never_pass_for_citations() -> None:
    item = paper(
        "r",
        "Results on the ARC Challenge [16]",
        summary="We win the ARC Challenge [16]. Our method improves accuracy by 12% [3, 4].",
    )
    s = summarise_offline(section_input((item, *items_about("x", 1, "o"))))
    text = "\n".join(p.text for p in s.parts)
    assert "[16]" not in text and "[3, 4]" not in text
    assert "Challenge (16)" in text  # the title keeps its number, not as a mark
    assert "“We win the ARC Challenge.”" in text
    assert s.citations() <= {1, 2}


def test_no_sentence_is_repeated_across_parts() -> None:
    s = summarise_offline(section_input(items_about("speech recognition", 5, "d")))
    quoted = [q for p in s.parts for q in re.findall(r"“[^”]+”", p.text)]
    assert len(quoted) == len(set(quoted)), quoted
    # the impact part quotes the result sentences, which the per-item part did not
    assert "improves accuracy" in _text(s, "impact")
    assert "improves accuracy" not in _text(s, "events")


def test_most_noticed_only_with_a_signal_and_it_says_which() -> None:
    voted = summarise_offline(section_input(items_about("x", 3, "v")))
    assert "가장 주목받은 항목은 「x study number 3」입니다(추천 3개) [3]" in _text(
        voted, "conclusion"
    )
    quiet = summarise_offline(section_input(items_about("x", 3, "q", upvotes=False)))
    conclusion = _text(quiet, "conclusion")
    assert "주목" not in conclusion and "처음 소개된 「x study number 1」" in conclusion
    en = summarise_offline(section_input(items_about("x", 3, "e", upvotes=False), "en"))
    assert "No item carries a signal of attention; the first listed is" in _text(en, "conclusion")
    hn = story("h", "Big launch", points=340, also_in=("geeknews",))
    s = summarise_offline(section_input((*items_about("x", 2, "w", upvotes=False), hn), "en"))
    assert "(340 Hacker News points, carried by 2 sources) [3]" in _text(s, "conclusion")


def test_grounding_check_passes_ours_and_fails_the_seed_bug() -> None:
    robots = items_about("quadruped locomotion", 4, "r")
    speech = items_about("speech recognition", 3, "s")
    by_id = {i.id: i for i in robots + speech}
    ours = summarise_offline(section_input(speech, name="Audio", lang="en"))
    assert grounding_problems(ours, by_id) == []
    # The seed's bug: the prompt of the first category reused for every section, so the
    # "Audio" section describes the robotics papers while listing the speech ones.
    wrong = summarise_offline(section_input(robots, name="Robotics", lang="en"))
    seed_like = Section(**{**wrong.model_dump(), "sources": ours.sources, "name": "Audio"})
    assert grounding_problems(seed_like, by_id)


def test_fallback_is_marked() -> None:
    s = summarise_offline(section_input(items_about("x", 2, "f")), note="citation [9] out of range")
    assert s.mode == "offline-fallback" and "[9]" in s.note


def test_quoted_source_text_cannot_act_as_markup() -> None:
    hostile = story(
        "m",
        "**Breaking** <b>news</b> @everyone",
        summary="We add a <TRK> token and `code`, see [the demo](http://evil.example/x) now.",
    )
    text = "\n".join(p.text for p in summarise_offline(section_input((hostile,), "en")).parts)
    assert "「" not in text and "“Breaking ‹b›news‹/b› ＠everyone”" in text
    assert "“We add a ‹TRK› token and 'code', see the demo now.”" in text
    for bad in ("**", "<", ">", "`", "](", "@everyone"):
        assert bad not in text, bad
