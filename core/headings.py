"""The words of a report, per language: the five parts of a summary and the report's labels."""

from __future__ import annotations

PART_KEYS: tuple[str, ...] = ("themes", "keywords", "events", "impact", "conclusion")

PART_HEADINGS: dict[str, dict[str, str]] = {
    "ko": {
        "themes": "주요 주제 및 테마",
        "keywords": "공통 키워드 및 트렌드",
        "events": "항목별 핵심 내용",
        "impact": "영향 분석",
        "conclusion": "결론 및 주목할 점",
    },
    "en": {
        "themes": "Main themes",
        "keywords": "Common keywords and trends",
        "events": "Key points, item by item",
        "impact": "Impact",
        "conclusion": "Conclusion and what to watch",
    },
}

LABELS: dict[str, dict[str, str]] = {
    "ko": {
        "title": "Daily Artificial Intelligence Insights",
        "summary": "요약",
        "sources": "출처",
        "news": "News",
        "papers": "Papers",
        "chart": "카테고리 분포",
        "trend": "최근 7일 추이",
        "others": "기타(Others) {n}건은 집계만 하고 요약하지 않았습니다.",
        "featured": "오늘 다시 소개된 항목 (이전 다이제스트에 이미 실림)",
        "more": "이 카테고리의 전체 {total}건 중 상위 {n}건을 요약했습니다.",
        "items": "건",
        "nothing": "이 날은 수집된 항목이 없습니다.",
        "failed": "실패한 출처",
        "build": "빌드 정보",
        "mode_offline": "요약 방식: 오프라인 발췌 요약 (LLM 미설정)",
        "llm_all": "요약: LLM({model})이 {total}개 섹션을 모두 썼습니다.",
        "llm_some": "요약: LLM({model})이 {total}개 중 {llm}개 섹션을 썼고, {off}개는 오프라인 "
        "요약으로 대신했습니다({why}).",
        "llm_none": "요약: LLM({model})이 쓴 섹션은 없고, {total}개 모두 오프라인 요약으로 "
        "대신했습니다({why}).",
        "fallback": "이 섹션은 LLM 요약 대신 오프라인 요약입니다",
        "fallback_invalid": "LLM 답변이 두 번 모두 규칙을 어겨 오프라인 요약으로 대신합니다",
        "fallback_budget": "이 빌드의 LLM 예산이 다 쓰여 오프라인 요약으로 대신합니다",
        "fallback_server": "LLM 서버가 답하지 못해 오프라인 요약으로 대신합니다",
        "fallback_failed": "요약 작업이 실패해 오프라인 요약으로 대신합니다",
        "reason_invalid": "규칙 위반 {n}",
        "reason_budget": "예산 소진 {n}",
        "reason_server": "서버 오류 {n}",
        "reason_failed": "작업 실패 {n}",
        "others_list": "기타(Others) {kind} {n}건",
        "skipped": "AI와 무관해 제외한 항목: {n}건",
        "skipped_n": "AI와 무관 {n}건 제외",
        "and_more": "외 {n}건",
    },
    "en": {
        "title": "Daily Artificial Intelligence Insights",
        "summary": "Summary",
        "sources": "Sources",
        "news": "News",
        "papers": "Papers",
        "chart": "Category distribution",
        "trend": "Last 7 days",
        "others": "{n} items in Others are counted but not summarised.",
        "featured": "Featured again today (already in an earlier digest)",
        "more": "The top {n} of this category's {total} items are summarised.",
        "items": "items",
        "nothing": "Nothing was collected for this day.",
        "failed": "Failed sources",
        "build": "Build",
        "mode_offline": "Summaries: offline extracts (no LLM configured)",
        "llm_all": "Summaries: the LLM ({model}) wrote all {total} sections.",
        "llm_some": "Summaries: the LLM ({model}) wrote {llm} of {total} sections; {off} are "
        "offline summaries instead ({why}).",
        "llm_none": "Summaries: the LLM ({model}) wrote none of the {total} sections; all are "
        "offline summaries instead ({why}).",
        "fallback": "This section is the offline summary, not the LLM's",
        "fallback_invalid": "The LLM's answers broke the rules twice; this is the offline "
        "summary instead",
        "fallback_budget": "The build's LLM budget was spent; this is the offline summary instead",
        "fallback_server": "The LLM server did not answer; this is the offline summary instead",
        "fallback_failed": "The summary job failed; this is the offline summary instead",
        "reason_invalid": "broke the rules: {n}",
        "reason_budget": "budget spent: {n}",
        "reason_server": "server errors: {n}",
        "reason_failed": "failed jobs: {n}",
        "others_list": "Others ({kind}): {n}",
        "skipped": "Skipped as not about AI: {n}",
        "skipped_n": "{n} skipped as not about AI",
        "and_more": "and {n} more",
    },
}


def headings(lang: str) -> dict[str, str]:
    return PART_HEADINGS.get(lang, PART_HEADINGS["en"])


def label(lang: str, key: str, **values: object) -> str:
    text = LABELS.get(lang, LABELS["en"])[key]
    return text.format(**values) if values else text
