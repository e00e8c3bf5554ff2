"""Korean words where they start, the glossary, and the AI markers (pure functions)."""

from __future__ import annotations

from core.classify.hangul import Vocabulary, gloss
from core.classify.markers import markers
from core.classify.rules import Keywords


def test_a_korean_word_matches_where_a_word_starts_and_a_particle_may_follow() -> None:
    v = Vocabulary(["법", "규제", "인공지능"])
    assert v.find("AI 규제를 강화한다") == ["규제"]
    assert v.find("인공지능규제법 통과") == ["인공지능", "규제", "법"]
    assert v.find("법을 바꾼다") == ["법"]
    assert v.find("글 쓰다가 막혔을 때 대처법") == []  # not inside a word
    assert v.find("법원 판결") == []  # a one-syllable word needs a particle or nothing after it


def test_the_glossary_turns_known_korean_words_into_english() -> None:
    assert gloss("서버 모니터링 분석 가이드") == "server monitoring analysis guide"
    assert gloss("AI 기업들이 데이터를 유출함") == "AI company data leak"
    assert gloss("Windows 11½") == "Windows 11½"  # no Korean: untouched
    assert gloss("글로벌 시장") == "market"  # "글" (writing) is not the start of "글로벌"


def test_keywords_are_whole_words_and_phrases_allow_a_plural() -> None:
    k = Keywords(["act", "ai act", "language model", "gpt-4o", "언어 모델"])
    assert k.found("How to act on feedback") == {"act"}
    assert k.found("Actions and actors") == set()
    assert k.found("The EU AI Act passes") == {"act", "ai act"}
    assert k.found("Small Language Models win") == {"language model"}
    assert k.found("GPT-4o System Card") == {"gpt-4o"}
    assert k.found("새 언어 모델 공개") == {"언어 모델"}


def test_ai_markers_are_whole_words_and_acronyms_capitals() -> None:
    assert markers("Tinybox – Offline AI device") == ["AI"]
    assert markers("오픈AI의 ‘소라’로 만든 동영상") == ["AI"]
    assert markers("AI가 없는 것도 기능이다") == ["AI"]
    assert markers("인공지능 규제법") == ["인공지능"]
    assert markers("Haiku, AIDS and a shell prompt") == []
    assert markers("Zod: static type inference") == []
    assert markers("Our vision for the web") == []
    assert markers("Fine-tuning Llama 3 with LoRA") == ["Llama"]
