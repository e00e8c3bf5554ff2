"""Validation of a section summary: parts, citation range and coverage, language."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from core.items import Item
from core.llm.validate import (
    language_problem,
    normalise_citations,
    summary_problem,
)
from core.plan import SectionInput

TITLES = (
    "Chain-of-Thought Reasoning Without Prompting at Scale",
    "LoRA Adapters for Efficient Multilingual Instruction Tuning",
    "A Benchmark for Hallucination Detection in Retrieval-Augmented Generation",
    "Speculative Decoding with Draft Models",
    "Agents That Use Tools: A Survey",
)


def _inp(lang: str, n: int = 5) -> SectionInput:
    items = tuple(
        Item(
            id=f"url:{k}",
            kind="papers",
            title=TITLES[k % 5],
            url=f"https://e.com/{k}",
            source="arxiv",
            summary="An abstract.",
        )
        for k in range(n)
    )
    return SectionInput("2024-10-04", lang, "papers", "llm", "LLM", "", items, n)


KO = {  # the way a real model writes Korean about English papers: terms stay in English
    "themes": "이번 섹션의 논문들은 대규모 언어 모델(LLM)의 추론 능력과 효율적인 미세 조정에 "
    "집중합니다 [1][2]. 특히 Chain-of-Thought 추론과 RAG 환경의 환각 문제가 두드러집니다 [3].",
    "keywords": "- `LoRA`: 적은 비용으로 다국어 지시 튜닝을 수행합니다 [2]\n"
    "- `speculative decoding`: 초안 모델로 추론 속도를 높입니다 [4]",
    "events": "- **Chain-of-Thought Reasoning Without Prompting at Scale**: 프롬프트 없이도 "
    "추론 경로를 끌어냅니다 [1]\n- 「Agents That Use Tools: A Survey」: 도구를 쓰는 에이전트 "
    "연구를 정리했습니다 [5]\n- 환각 탐지 벤치마크를 새로 제안했습니다 [3]",
    "impact": "GPU 비용을 줄이면서 모델 품질을 유지하는 방법이 "
    "실무에 바로 쓰일 수 있습니다 [2][4].",
    "conclusion": "추론과 효율성 연구가 함께 발전하고 있으며, "
    "후속 재현 결과를 지켜볼 만합니다 [1].",
}
EN = {
    "themes": "The papers centre on reasoning in large language models and cheaper fine-tuning "
    "[1][2], with hallucination in retrieval-augmented generation as a recurring concern [3].",
    "keywords": "- `LoRA`: multilingual instruction tuning at low cost [2]\n"
    "- `speculative decoding`: faster inference with draft models [4]",
    "events": "- **Chain-of-Thought Reasoning Without Prompting at Scale**: reasoning paths "
    "without prompts [1]\n- A survey of tool-using agents [5]\n- A new benchmark [3]",
    "impact": "Lower GPU cost at equal quality could reach practice quickly [2][4].",
    "conclusion": "Reasoning and efficiency advance together; watch for replications [1].",
}


def test_a_good_answer_passes_in_each_language() -> None:
    assert summary_problem(KO, _inp("ko")) == ""
    assert summary_problem(EN, _inp("en")) == ""


def test_korean_is_required_for_ko_and_english_for_en() -> None:
    assert "not written in Korean" in summary_problem(EN, _inp("ko"))
    assert "not written in English" in summary_problem(KO, _inp("en"))


def test_titles_quotes_and_code_do_not_count_as_prose() -> None:
    english_titles_only = " ".join(f"「{t}」 [{n}]" for n, t in enumerate(TITLES, 1))
    assert (
        language_problem(f"{english_titles_only} 다섯 편의 논문을 소개합니다.", "ko", TITLES) == ""
    )
    korean_title = "에이전트 메모리를 Git처럼 버전 관리하기"
    text = f"The item “{korean_title}” shows how to version agent memory like source code [1]."
    assert language_problem(text, "en", [korean_title]) == ""
    assert language_problem("한국어 " * 30, "en") != ""
    assert language_problem("short", "ko") == ""  # too few letters to judge
    assert language_problem("Ceci est un résumé en français, pas en coréen.", "fr") == ""


def test_citations_must_be_in_range_and_cover_most_sources() -> None:
    bad = dict(EN, themes=EN["themes"] + " [6]")
    assert "[6] are outside the sources [1]..[5]" in summary_problem(bad, _inp("en"))
    zero = dict(EN, themes=EN["themes"] + " [0]")
    assert "outside" in summary_problem(zero, _inp("en"))
    few = {k: "Reasoning in language models is advancing quickly [1]." for k in EN}
    assert "only 1 of the 5 sources are cited; cite at least 3" in summary_problem(few, _inp("en"))
    one = {k: "Reasoning in language models is advancing quickly [1]." for k in EN}
    assert summary_problem(one, _inp("en", n=1)) == ""


def test_every_part_must_be_there_and_non_empty() -> None:
    assert "'impact' is empty" in summary_problem(dict(EN, impact="  "), _inp("en"))
    missing = {k: v for k, v in EN.items() if k != "events"}
    assert "'events' is empty" in summary_problem(missing, _inp("en"))
    assert "'themes' is empty" in summary_problem(dict(EN, themes=3), _inp("en"))


def test_grouped_citations_are_split() -> None:
    text = "as shown [1, 2] and [3，4] or [5]"
    assert normalise_citations(text) == "as shown [1][2] and [3][4] or [5]"
    assert normalise_citations("see [1,2; 3]") == "see [1][2][3]"
    grouped = dict(EN, themes="Reasoning and tuning lead [1, 2, 3, 4, 5].")
    assert summary_problem(grouped, _inp("en")) == ""


@given(st.dictionaries(st.sampled_from([*EN, "other"]), st.text(max_size=200) | st.integers()))
def test_any_answer_gets_a_verdict_not_a_crash(answer: dict[str, object]) -> None:
    assert isinstance(summary_problem(answer, _inp("ko")), str)


@given(st.text(max_size=300))
def test_normalising_citations_is_idempotent(text: str) -> None:
    once = normalise_citations(text)
    assert normalise_citations(once) == once
