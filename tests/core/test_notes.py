"""The notes of thin and empty days, in Korean and English, for any source name and type."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.digest import Coverage, SourceStatus
from core.notes import kind_notes, next_announcement_text
from core.sources.arxiv_calendar import ArxivCalendar
from core.sources.arxiv_window import Release, release

SEOUL = "Asia/Seoul"
CAL = ArxivCalendar.shipped()


def window_of(d: date) -> Release:
    """The release seen by the 07:00 KST digest of `d` (the previous one ran a day before)."""
    tz = ZoneInfo(SEOUL)
    end = datetime(d.year, d.month, d.day, 7, tzinfo=tz)
    start = end - timedelta(days=1)
    return release(CAL, start, end)


def status(
    name: str,
    kind: str,
    ok: bool = True,
    new: int = 0,
    error: str = "",
    release: Release | None = None,
    coverage: Coverage | None = None,
) -> SourceStatus:
    """A source's status as a build records it (coverage as core.intake.coverage_of gives for
    `release`, or as given)."""
    if release is not None:
        coverage = Coverage(
            start=release.start.isoformat(),
            end=release.end.isoformat(),
            scheduled=True,
            announcements=[a.isoformat() for a in release.announcements],
            silent=[(d.isoformat(), why) for d, why in release.silent],
            next_announcement=release.next_announcement.isoformat(),
        )
    return SourceStatus.model_validate(
        {"name": name, "kind": kind, "ok": ok, "items": new, "error": error, "coverage": coverage}
    )


def papers(d: date, *extra: SourceStatus, new: int = 0) -> list[SourceStatus]:
    arxiv = status("arxiv", "papers", new=new, release=window_of(d))
    return [arxiv, status("hf-daily-papers", "papers"), *extra]


def test_sunday_digest_explains_the_weekend() -> None:
    sources = papers(date(2024, 10, 20))
    assert kind_notes("papers", 0, sources, SEOUL, "en") == [
        "arXiv made no announcement last night (weekend); next: Sunday 20:00 ET"
        " (Monday 09:00 KST).",
        "Nothing new from hf-daily-papers since the previous digest.",
    ]
    assert kind_notes("papers", 0, sources, SEOUL, "ko") == [
        "arXiv는 어젯밤 새 논문을 발표하지 않았습니다(주말)."
        " 다음 발표: 미국 동부 시간 일요일 20:00 (KST 월요일 09:00).",
        "지난 다이제스트 이후 hf-daily-papers에 새 항목이 없습니다.",
    ]


def test_a_day_with_papers_has_no_note() -> None:
    sources = papers(date(2024, 10, 23), new=40)  # Wednesday: Monday's announcement
    assert kind_notes("papers", 40, sources, SEOUL, "en") == []
    assert kind_notes("papers", 40, sources, SEOUL, "ko") == []


def test_thanksgiving_is_a_holiday_and_winter_time_is_an_hour_later() -> None:
    sources = papers(date(2024, 11, 30))  # Saturday: Thursday evening was Thanksgiving
    en, ko = (kind_notes("papers", 0, sources, SEOUL, lang)[0] for lang in ("en", "ko"))
    assert en == (
        "arXiv made no announcement last night (arXiv holiday);"
        " next: Sunday 20:00 ET (Monday 10:00 KST)."
    )
    assert ko == (
        "arXiv는 어젯밤 새 논문을 발표하지 않았습니다(arXiv 휴일)."
        " 다음 발표: 미국 동부 시간 일요일 20:00 (KST 월요일 10:00)."
    )


def test_a_missed_build_over_a_holiday_and_the_weekend() -> None:
    tz = ZoneInfo(SEOUL)
    span = release(CAL, datetime(2024, 11, 29, 7, tzinfo=tz), datetime(2024, 12, 2, 7, tzinfo=tz))
    sources = [status("arxiv", "papers", release=span)]
    assert kind_notes("papers", 0, sources, SEOUL, "en") == [
        "arXiv made no announcement since the previous digest (arXiv holiday and weekend);"
        " next: Sunday 20:00 ET (Monday 10:00 KST)."
    ]
    assert kind_notes("papers", 0, sources, SEOUL, "ko")[0].startswith(
        "arXiv는 지난 다이제스트 이후 새 논문을 발표하지 않았습니다(arXiv 휴일·주말)."
    )


def test_catching_up_two_announcements_is_said() -> None:
    tz = ZoneInfo(SEOUL)
    span = release(CAL, datetime(2024, 10, 21, 7, tzinfo=tz), datetime(2024, 10, 23, 7, tzinfo=tz))
    sources = [status("arxiv", "papers", new=90, release=span)]
    assert kind_notes("papers", 90, sources, SEOUL, "en") == [
        "This digest covers 2 arXiv announcements (Sunday, Monday 20:00 ET)."
    ]
    assert kind_notes("papers", 90, sources, SEOUL, "ko") == [
        "arXiv 발표 2회분(미국 동부 시간 일요일·월요일 20:00)을 함께 담았습니다."
    ]


def test_any_name_any_type() -> None:
    d = date(2024, 10, 21)
    sources = [
        status("arxiv-cv", "papers", release=window_of(d)),
        status("arxiv-cl", "papers", release=window_of(d)),
        status("my_lab_feed", "papers", ok=False, error="HTTP 503 from example.org"),
    ]
    en = kind_notes("papers", 0, sources, SEOUL, "en")
    assert en[0] == (
        "my_lab_feed failed (HTTP 503 from example.org); what it released since the previous"
        " digest comes in the next one."
    )
    assert en[1].startswith("arXiv (arxiv-cv, arxiv-cl) made no announcement last night (weekend)")
    assert len(en) == 2  # one note for the two arXiv sources
    ko = kind_notes("papers", 0, sources, SEOUL, "ko")
    assert ko[0] == (
        "my_lab_feed 수집에 실패했습니다(HTTP 503 from example.org)."
        " 지난 다이제스트 이후 이 소스의 새 항목은 다음 다이제스트에 담깁니다."
    )


def test_a_long_error_is_clipped_and_flattened() -> None:
    error = "line one\nline two " + "x" * 500
    note = kind_notes("news", 0, [status("feed", "news", ok=False, error=error)], SEOUL, "en")
    assert "\n" not in note[0] and "line one line two" in note[0] and "…" in note[0]
    assert len(note[0]) < 320


def test_news_without_news() -> None:
    quiet = [status("openai-news", "news"), status("geeknews", "news")]
    assert kind_notes("news", 0, quiet, SEOUL, "en") == [
        "Nothing new from openai-news, geeknews since the previous digest."
    ]
    assert kind_notes("news", 3, quiet, SEOUL, "en") == []
    assert kind_notes("news", 0, [], SEOUL, "ko") == ["설정된 뉴스 소스가 없습니다."]
    assert kind_notes("papers", 0, [], SEOUL, "en") == ["No papers source is set up."]


def test_an_unknown_language_falls_back_to_english() -> None:
    sources = papers(date(2024, 10, 20))
    assert kind_notes("papers", 0, sources, SEOUL, "fr") == kind_notes(
        "papers", 0, sources, SEOUL, "en"
    )


def test_the_digest_zone_is_named() -> None:
    sunday = datetime(2024, 10, 20, 20, tzinfo=ZoneInfo("America/New_York"))
    assert next_announcement_text(sunday, "Europe/Berlin", "en") == (
        "Sunday 20:00 ET (Monday 02:00 CEST)"
    )
    assert next_announcement_text(sunday, "UTC", "ko") == (
        "미국 동부 시간 일요일 20:00 (UTC 월요일 00:00)"
    )


def test_a_day_built_after_later_days() -> None:
    at = "2024-10-20T22:00:00+00:00"
    covered = status("openai-news", "news", coverage=Coverage(start=at, end=at))
    assert kind_notes("news", 0, [covered], SEOUL, "en") == [
        "openai-news: already covered by a later digest."
    ]
    assert kind_notes("news", 0, [covered], SEOUL, "ko") == [
        "openai-news: 이후 다이제스트에 이미 담겼습니다."
    ]


def test_a_rebuild_that_lost_items_says_so() -> None:
    replay = Coverage(
        start="2024-10-19T22:00:00+00:00", end="2024-10-20T22:00:00+00:00", replayed=True, gone=2
    )
    gone = status("openai-news", "news", new=4, coverage=replay)
    assert kind_notes("news", 4, [gone], SEOUL, "en") == [
        "2 of openai-news's items are no longer served by it and are missing from this rebuild."
    ]
