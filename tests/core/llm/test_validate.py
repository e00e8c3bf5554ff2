"""Validation of a summary answer: its shape, its numbers, no links or markup, its language —
each rule rejected with a reason that names it, for the one retry."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.llm.language import language_problem
from core.llm.validate import read_draft, summary_problem

NUMBERS = (1, 2, 3, 4, 5)
TITLES = (
    "Chain-of-Thought Reasoning Without Prompting at Scale",
    "LoRA Adapters for Efficient Multilingual Instruction Tuning",
    "A Benchmark for Hallucination Detection in Retrieval-Augmented Generation",
    "Speculative Decoding with Draft Models",
    "Agents That Use Tools: A Survey",
)

KO: dict[str, Any] = {  # the way a real model writes Korean about English papers
    "sources": [
        {
            "n": 1,
            "sentence": "프롬프트 없이도 Chain-of-Thought 추론 경로를 끌어내는 방법을 보입니다.",
        },
        {"n": 2, "sentence": "LoRA 어댑터로 적은 비용에 다국어 지시 튜닝을 수행합니다."},
        {"n": 3, "sentence": "RAG 환경에서 환각을 탐지하는 새 벤치마크를 제안합니다."},
        {"n": 4, "sentence": "초안 모델을 쓰는 speculative decoding으로 추론 속도를 높입니다."},
        {"n": 5, "sentence": "도구를 쓰는 에이전트 연구를 폭넓게 정리한 서베이입니다."},
    ],
    "themes": [
        {
            "sentence": "이번 논문들은 LLM의 추론 능력과 효율적인 미세 조정에 집중합니다.",
            "sources": [1, 2],
        },
        {"sentence": "RAG 환경의 환각 문제도 두드러진 주제입니다.", "sources": [3]},
    ],
    "keywords": [
        {
            "term": "LoRA",
            "sentence": "적은 비용으로 모델을 미세 조정하는 기법입니다.",
            "sources": [2],
        },
        {
            "term": "speculative decoding",
            "sentence": "초안 모델로 생성을 앞당깁니다.",
            "sources": [4],
        },
    ],
    "impact": [
        {
            "sentence": "GPU 비용을 줄이면서 품질을 유지하는 방법은 실무에 바로 쓰일 수 있습니다.",
            "sources": [2, 4],
        }
    ],
    "conclusion": [
        {
            "sentence": "추론과 효율성 연구가 함께 발전하고 있어 후속 재현 결과를 지켜볼 만합니다.",
            "sources": [1, 5],
        }
    ],
}
EN: dict[str, Any] = {
    "sources": [
        {"n": 1, "sentence": "Reasoning paths can be drawn out of a model without prompting."},
        {"n": 2, "sentence": "LoRA adapters make multilingual instruction tuning cheap."},
        {"n": 3, "sentence": "A new benchmark measures hallucination detection in RAG."},
        {"n": 4, "sentence": "Draft models speed up decoding."},
        {"n": 5, "sentence": "A survey of agents that use tools."},
    ],
    "themes": [{"sentence": "Reasoning and cheaper fine-tuning lead.", "sources": [1, 2]}],
    "keywords": [{"term": "LoRA", "sentence": "Low-rank adapters for tuning.", "sources": [2]}],
    "impact": [
        {
            "sentence": "Lower GPU cost at equal quality could reach practice quickly.",
            "sources": [2, 4],
        }
    ],
    "conclusion": [
        {"sentence": "Watch for replications of the reasoning results.", "sources": [1]}
    ],
}


def _problem(answer: dict[str, Any], lang: str = "en") -> str:
    return summary_problem(answer, NUMBERS, lang, TITLES)


def _with(base: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(base)
    target = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return out


def test_a_good_answer_passes_in_each_language() -> None:
    assert _problem(KO, "ko") == ""
    assert _problem(EN, "en") == ""
    draft = read_draft(KO, NUMBERS, "ko", TITLES)
    assert sorted(draft.points) == [1, 2, 3, 4, 5]
    assert draft.themes[0].sources == (1, 2) and draft.keywords[1].term == "speculative decoding"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("See https://evil.example/x for more.", "contains a URL"),
        ("See www.evil.example today.", "contains a URL"),
        ("Details at evil.example/offer now.", "contains a URL"),
        ("Read [the post](http://evil.example).", "contains a URL"),
        ("Read [the post](/relative) now.", "contains a markdown link"),
        ("![chart](x.png) shows it.", "contains an image"),
        ("# Breaking\nReasoning improves.", "contains a heading"),
        ("Reasoning <b>improves</b>.", "contains HTML"),
        ("Reasoning improves <!-- hidden -->.", "contains HTML"),
        ("Ping @everyone about this.", "contains an @-mention"),
        ("Thanks to @openai_team for it.", "contains an @-mention"),
        ("Ask <@U0123ABC> now.", "contains"),
    ],
)
def test_links_and_markup_in_any_sentence_are_rejected(text: str, rule: str) -> None:
    for path in (("sources", 2, "sentence"), ("themes", 0, "sentence"), ("keywords", 0, "term")):
        reason = _problem(_with(EN, path, text))
        assert rule in reason and "write plain text only" in reason, (path, reason)
    assert "the sentence for source [3] contains" in _problem(
        _with(EN, ("sources", 2, "sentence"), text)
    )


def test_emphasis_list_marks_and_in_text_numbers_are_removed_not_rejected() -> None:
    answer = _with(
        EN, ("themes", 0, "sentence"), "- **Reasoning** and `cheaper` tuning lead [1, 2]."
    )
    draft = read_draft(answer, NUMBERS, "en", TITLES)
    assert draft.themes[0].sentence == "Reasoning and cheaper tuning lead."


def test_numbers_must_be_the_asks_own() -> None:
    assert _problem(_with(EN, ("themes", 0, "sources"), [1, 9])) == (
        "themes[0] cites source 9, but the sources are [1]..[5]"
    )
    assert "cites source 0" in _problem(_with(EN, ("impact", 0, "sources"), [0]))
    assert _problem(_with(EN, ("sources", 4, "n"), 12)) == (
        "sources[4] is about source 12, but the sources are [1]..[5]"
    )
    text = "Reasoning and tuning lead [7]."
    assert "mentions source [7], but the sources are [1]..[5]" in _problem(
        _with(EN, ("themes", 0, "sentence"), text)
    )
    assert summary_problem(EN, (1, 2, 3), "en", TITLES).startswith("sources[3] is about source 4")


def test_every_claim_rests_on_a_source_and_every_source_has_one_sentence() -> None:
    assert _problem(_with(EN, ("conclusion", 0, "sources"), [])) == (
        "conclusion[0] rests on no source; list the numbers of its sources"
    )
    fewer = _with(EN, ("sources",), EN["sources"][:3])
    assert _problem(fewer) == "no sentence for source [4], [5]; give one for every source [1]..[5]"
    twice = _with(EN, ("sources",), [*EN["sources"], {"n": 2, "sentence": "Again."}])
    assert _problem(twice) == "source [2] has two sentences; give exactly one per source"


def test_a_schema_violation_is_named_as_such() -> None:
    assert _problem(_with(EN, ("themes",), 5)) == (
        '\'themes\' must be a list of {"sentence", "sources"} objects, not a number'
    )
    assert (
        _problem({k: v for k, v in EN.items() if k != "impact"})
        == "the answer has no 'impact' list"
    )
    assert "'conclusion' is empty" in _problem(_with(EN, ("conclusion",), []))
    assert _problem(_with(EN, ("keywords", 0), "LoRA")) == (
        'keywords[0] must be a {"term", "sentence", "sources"} object, not a string'
    )
    assert _problem(_with(EN, ("themes", 0, "sources"), "1, 2")) == (
        "themes[0].sources must be a list of source numbers, not a string"
    )
    assert (
        _problem(_with(EN, ("sources", 0, "sentence"), None))
        == "the sentence for source [1] is missing"
    )
    assert (
        _problem(_with(EN, ("themes", 0, "sentence"), 3))
        == "themes[0].sentence must be a string, not a number"
    )


def test_numbers_written_as_strings_are_read() -> None:
    answer = _with(EN, ("themes", 0, "sources"), ["1", "[2]"])
    assert read_draft(answer, NUMBERS, "en", TITLES).themes[0].sources == (1, 2)


def test_a_sentence_is_one_sentence() -> None:
    long = "Reasoning improves a great deal. " * 20
    assert "is 659 characters long; keep it under 400" in _problem(
        _with(EN, ("sources", 0, "sentence"), long)
    )


def test_language_of_the_whole_and_of_each_sentence() -> None:
    assert "not written in Korean" in _problem(EN, "ko")
    assert "not written in English" in _problem(KO, "en")
    mixed = _with(KO, ("sources", 3, "sentence"), "Draft models make decoding much faster on GPUs.")
    assert _problem(mixed, "ko") == "the sentence for source [4] is not written in Korean"
    # quoted titles, code and names do not count as prose
    english_titles_only = " ".join(f"「{t}」" for t in TITLES)
    assert (
        language_problem(f"{english_titles_only} 다섯 편의 논문을 소개합니다.", "ko", TITLES) == ""
    )
    assert language_problem("short", "ko") == ""
    assert language_problem("Ceci est un résumé en français, pas en coréen.", "fr") == ""


def test_extra_sentences_beyond_a_parts_limit_are_dropped() -> None:
    many = [{"sentence": f"Reasoning point number {i} is here.", "sources": [1]} for i in range(6)]
    draft = read_draft(_with(EN, ("themes",), many), NUMBERS, "en", TITLES)
    assert len(draft.themes) == 3


_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 9) | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["n", "sentence", "sources", "term"]), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(deadline=None, max_examples=150)
@given(st.dictionaries(st.sampled_from([*EN, "other"]), _VALUE, max_size=6))
def test_any_answer_gets_a_verdict_not_a_crash(answer: dict[str, object]) -> None:
    assert isinstance(summary_problem(answer, NUMBERS, "ko", TITLES), str)
