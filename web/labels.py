"""The site's own words, per language (the report's words are core.headings.label)."""

from __future__ import annotations

from core.headings import LABELS

_SITE: dict[str, dict[str, str]] = {
    "ko": {
        "site": "aidigest",
        "latest": "최신",
        "search": "검색",
        "search_label": "모든 날짜에서 검색",
        "search_placeholder": "예: 확산 모델, agents",
        "results": "검색 결과 {total}건",
        "search_for": "‘{q}’ 검색 결과",
        "search_about": "모든 날짜의 뉴스와 논문, 그 요약을 한국어와 영어로 찾습니다.",
        "no_results": "‘{q}’에 대한 결과가 없습니다. 다른 낱말이나 영어/한국어로 찾아보세요.",
        "page_of": "{page} / {pages} 쪽",
        "prev_page": "← 이전",
        "next_page": "다음 →",
        "prev_day": "← 전날",
        "next_day": "다음 날 →",
        "feed": "Atom 피드",
        "language": "언어",
        "contents": "목차",
        "category_title": "{name} — 날짜별",
        "trend_days": "최근 {n}일 항목 수",
        "recent": "최근 섹션",
        "whole_section": "섹션 전체 보기",
        "whole_day": "이 날 전체 보기",
        "summary_of": "{lang} 요약",
        "item": "항목",
        "not_found": "찾을 수 없습니다",
        "unavailable": "아카이브를 잠시 읽을 수 없습니다. 잠시 후 다시 시도하세요.",
        "no_days": "아직 게시된 날이 없습니다.",
        "categories": "카테고리",
        "items_n": "{n}건",
        "skip": "본문으로 건너뛰기",
        "skipped_kind": "AI와 무관해 제외한 항목 {n}건은 집계하지 않았습니다.",
    },
    "en": {
        "site": "aidigest",
        "latest": "Latest",
        "search": "Search",
        "search_label": "Search every day",
        "search_placeholder": "e.g. diffusion models, 에이전트",
        "results": "{total} results",
        "search_for": "Search results for ‘{q}’",
        "search_about": "Search every day's news, papers and summaries, in English and Korean.",
        "no_results": "Nothing found for ‘{q}’. Try other words, in English or Korean.",
        "page_of": "page {page} of {pages}",
        "prev_page": "← Previous",
        "next_page": "Next →",
        "prev_day": "← Previous day",
        "next_day": "Next day →",
        "feed": "Atom feed",
        "language": "Language",
        "contents": "Contents",
        "category_title": "{name} — day by day",
        "trend_days": "Items in the last {n} days",
        "recent": "Recent sections",
        "whole_section": "The whole section",
        "whole_day": "The whole day",
        "summary_of": "summary ({lang})",
        "item": "item",
        "not_found": "Not found",
        "unavailable": "The archive cannot be read right now. Please try again shortly.",
        "no_days": "No day has been published yet.",
        "categories": "Categories",
        "items_n": "{n} items",
        "skip": "Skip to content",
        "skipped_kind": "{n} items skipped as not about AI are not counted.",
    },
}
LANG_NAMES = {"ko": "한국어", "en": "English"}
LOCALES = {"ko": "ko_KR", "en": "en_US"}


def text(lang: str, key: str, /, **values: object) -> str:
    """A site or report word in `lang` (English when unknown), with `values` filled in."""
    table = _SITE.get(lang, _SITE["en"])
    raw = table.get(key)
    if raw is None:
        raw = LABELS.get(lang, LABELS["en"])[key]
    return raw.format(**values) if values else raw


def plain_words(lang: str) -> dict[str, str]:
    """Every site word in `lang` that takes no values (the report's words are not here)."""
    table = {**_SITE["en"], **_SITE.get(lang, {})}
    return {k: v for k, v in table.items() if "{" not in v}


__all__ = ["LANG_NAMES", "LOCALES", "plain_words", "text"]
