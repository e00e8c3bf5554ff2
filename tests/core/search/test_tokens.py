"""Search tokens: Korean as bigrams, English words folded, snippets marked (pure)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from core.search.snippet import snippet
from core.search.tokens import query_terms, tokens


def test_hangul_runs_become_bigrams_so_particles_do_not_hide_words() -> None:
    assert tokens("언어모델은") == ["언어", "어모", "모델", "델은"]
    assert "모델" in tokens("대규모 언어 모델을 학습")
    assert tokens("책") == ["책"]  # a one-syllable word stays whole


def test_english_words_lowercased_plurals_folded_stop_words_dropped() -> None:
    assert tokens("The Models and their Queries") == ["model", "query"]
    assert tokens("GPT-4o on arXiv 2410.01201 v2") == ["gpt", "4o", "arxiv", "2410.01201", "v2"]
    assert tokens("analysis of bias") == ["analysis", "bias"]  # -is, -as, -us are no plurals


def test_mixed_text_keeps_both_scripts_apart() -> None:
    assert tokens("LLM에이전트") == ["llm", "에이", "이전", "전트"]


def test_full_width_and_compatibility_forms_match_their_plain_forms() -> None:
    assert tokens("ＬＬＭ") == tokens("LLM")


def test_query_terms_are_distinct_and_bounded() -> None:
    assert query_terms("agent agents AGENT") == ["agent"]
    assert len(query_terms(" ".join(f"w{i}x" for i in range(40)))) == 16


@given(st.text(max_size=200))
def test_any_text_tokenises_without_error(text: str) -> None:
    for t in tokens(text):
        assert t and "\n" not in t and len(t) <= 40


def test_snippet_marks_the_query_words_inside_the_best_window() -> None:
    text = "filler " * 80 + "diffusion models generate images; a diffusion model " + "end " * 80
    parts = snippet(text, {"diffusion", "model"}, width=120)
    marked = [t for t, m in parts if m]
    assert marked[:3] == ["diffusion", "models", "diffusion"]
    assert parts[0] == ("…", False) and parts[-1] == ("…", False)
    assert sum(len(t) for t, _ in parts) <= 130


def test_snippet_marks_korean_words_once_though_bigrams_overlap() -> None:
    parts = snippet("새로운 언어모델을 공개했다", {"언어", "어모", "모델"})
    assert ("언어모델", True) in parts


def test_snippet_without_hits_is_the_start() -> None:
    assert snippet("abc def", {"zzz"}) == [("abc def", False)]
