"""The offline summariser: five parts, cited, about exactly its own sources."""

from core.digest import Section
from core.extractive import summarise_offline
from core.headings import PART_KEYS, headings
from core.items import Item
from core.plan import SectionInput
from tests.core.grounding import grounding_problems


def items_about(topic: str, n: int, prefix: str) -> tuple[Item, ...]:
    return tuple(
        Item(
            id=f"{prefix}{i}",
            kind="papers",
            title=f"{topic} study number {i}",
            url=f"https://example.org/{prefix}{i}",
            source="arxiv",
            summary=f"We study {topic} in setting {i}. "
            f"Our {topic} method improves accuracy by {i}%.",
            upvotes=i,
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


def test_five_parts_with_language_headings_and_citations_in_range() -> None:
    for lang in ("ko", "en"):
        s = summarise_offline(section_input(items_about("quadruped locomotion", 4, "a"), lang))
        assert [p.key for p in s.parts] == list(PART_KEYS)
        assert [p.heading for p in s.parts] == [headings(lang)[k] for k in PART_KEYS]
        assert all(p.text.strip() for p in s.parts)
        assert s.citations() == {1, 2, 3, 4}
        assert [r.n for r in s.sources] == [1, 2, 3, 4] and s.mode == "offline"
    assert (
        "다룹니다" in summarise_offline(section_input(items_about("x", 2, "b"), "ko")).parts[0].text
    )


def test_each_item_is_described_under_its_own_number() -> None:
    items = items_about("grasping", 3, "g")
    events = summarise_offline(section_input(items)).parts[2].text.splitlines()
    for n, (line, item) in enumerate(zip(events, items, strict=True), start=1):
        assert item.title in line and line.endswith(f"[{n}]")


def test_grounding_check_passes_ours_and_fails_the_seed_bug() -> None:
    robots = items_about("quadruped locomotion", 4, "r")
    speech = items_about("speech recognition", 3, "s")
    by_id = {i.id: i for i in robots + speech}
    ours = summarise_offline(section_input(speech, name="Audio"))
    assert grounding_problems(ours, by_id) == []
    # The seed's bug: the prompt of the first category reused for every section, so the
    # "Audio" section describes the robotics papers while listing the speech ones.
    wrong = summarise_offline(section_input(robots, name="Robotics"))
    seed_like = Section(**{**wrong.model_dump(), "sources": ours.sources, "name": "Audio"})
    assert grounding_problems(seed_like, by_id)


def test_fallback_is_marked() -> None:
    s = summarise_offline(section_input(items_about("x", 2, "f")), note="citation [9] out of range")
    assert s.mode == "offline-fallback" and "[9]" in s.note
