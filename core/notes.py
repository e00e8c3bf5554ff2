"""The notes that explain a thin or empty part of a digest, in the digest's language (ko, en).

Each note is a sentence with the true reason: arXiv made no announcement (weekend or holiday,
with the next announcement in US-Eastern and the digest's time), a source failed (named, and
what happens to its items), sources had nothing new, several announcements were caught up.
They work for any source name and type: arXiv's schedule applies to every source whose status
says it follows arXiv's calendar (`Coverage.scheduled`), whatever it is called. The notes are
computed from the source statuses of the build (core/digest.py), which the day keeps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.digest import Coverage, SourceStatus
from core.sources.arxiv_calendar import ET

_DAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "ko": ("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일"),
}
_WHY = {
    "en": {"weekend": "weekend", "holiday": "arXiv holiday"},
    "ko": {"weekend": "주말", "holiday": "arXiv 휴일"},
}
_KIND = {"en": {"news": "news", "papers": "papers"}, "ko": {"news": "뉴스", "papers": "논문"}}
MAX_ERROR = 200  # characters of a source's error shown in a note


@dataclass(frozen=True)
class Announced:
    """arXiv's calendar over a digest's window (core/sources/arxiv_window.Release has these)."""

    announcements: tuple[datetime, ...]
    silent: tuple[tuple[date, str], ...]
    next_announcement: datetime


def announced_of(coverage: Coverage) -> Announced | None:
    if not coverage.scheduled or coverage.next_announcement is None:
        return None
    return Announced(
        tuple(datetime.fromisoformat(a) for a in coverage.announcements),
        tuple((date.fromisoformat(d), why) for d, why in coverage.silent),
        datetime.fromisoformat(coverage.next_announcement),
    )


def _lang(lang: str) -> str:
    return lang if lang in _DAYS else "en"


def _at(moment: datetime, tz: ZoneInfo, lang: str) -> str:
    local = moment.astimezone(tz)
    return f"{_DAYS[lang][local.weekday()]} {local:%H:%M}"


def next_announcement_text(moment: datetime, tz: str, lang: str) -> str:
    """'Monday 20:00 ET (Tuesday 09:00 KST)' / '미국 동부 시간 월요일 20:00 (KST 화요일 09:00)'."""
    lang, zone = _lang(lang), ZoneInfo(tz)
    abbr = moment.astimezone(zone).tzname() or tz
    if lang == "ko":
        return f"미국 동부 시간 {_at(moment, ET, lang)} ({abbr} {_at(moment, zone, lang)})"
    return f"{_at(moment, ET, lang)} ET ({_at(moment, zone, lang)} {abbr})"


def _label(names: Sequence[str]) -> str:
    own = [n for n in names if n.lower() != "arxiv"]
    return f"arXiv ({', '.join(own)})" if own else "arXiv"


def _reasons(release: Announced, lang: str) -> str:
    why = dict.fromkeys(_WHY[lang][w] for _, w in release.silent)
    return (" and " if lang == "en" else "·").join(why) or (
        "no announcement scheduled" if lang == "en" else "예정된 발표 없음"
    )


def arxiv_notes(names: Sequence[str], release: Announced, tz: str, lang: str) -> list[str]:
    """No announcement (and why, and when the next is), or several announcements caught up."""
    lang, label = _lang(lang), _label(names)
    count = len(release.announcements)
    if count == 0:
        when = "last night" if len(release.silent) <= 1 else "since the previous digest"
        when_ko = "어젯밤" if len(release.silent) <= 1 else "지난 다이제스트 이후"
        nxt = next_announcement_text(release.next_announcement, tz, lang)
        if lang == "ko":
            return [
                f"{label}는 {when_ko} 새 논문을 발표하지 않았습니다({_reasons(release, lang)})."
                f" 다음 발표: {nxt}."
            ]
        return [f"{label} made no announcement {when} ({_reasons(release, lang)}); next: {nxt}."]
    if count == 1:
        return []
    days = [_DAYS[lang][a.astimezone(ET).weekday()] for a in release.announcements]
    if lang == "ko":
        joined = "·".join(days)
        return [f"{label} 발표 {count}회분(미국 동부 시간 {joined} 20:00)을 함께 담았습니다."]
    return [f"This digest covers {count} {label} announcements ({', '.join(days)} 20:00 ET)."]


def failed_note(name: str, error: str, lang: str) -> str:
    lang = _lang(lang)
    why = " ".join(error.split()).removeprefix(f"{name}: ")  # errors start with the name
    why = why if len(why) <= MAX_ERROR else why[: MAX_ERROR - 1] + "…"
    if lang == "ko":
        return (
            f"{name} 수집에 실패했습니다({why}). 지난 다이제스트 이후 이 소스의 새 항목은"
            " 다음 다이제스트에 담깁니다."
        )
    return (
        f"{name} failed ({why}); what it released since the previous digest comes in the next one."
    )


def kind_notes(
    kind: str, total: int, statuses: Sequence[SourceStatus], tz: str, lang: str
) -> list[str]:
    """Every note for one kind of a digest, most important first."""
    lang = _lang(lang)
    mine = [s for s in statuses if s.kind == kind]
    if not mine:
        what = _KIND[lang].get(kind, kind)
        return [
            f"설정된 {what} 소스가 없습니다." if lang == "ko" else f"No {what} source is set up."
        ]
    notes = [failed_note(s.name, s.error, lang) for s in mine if not s.ok]
    groups: dict[Announced, list[str]] = {}
    for s in mine:  # sources on the same announcements share one note
        announced = announced_of(s.coverage) if s.ok and s.coverage else None
        if announced is not None:
            groups.setdefault(announced, []).append(s.name)
    for announced, names in groups.items():
        notes += arxiv_notes(names, announced, tz, lang)
    covered = [s.name for s in mine if s.ok and s.coverage and s.coverage.start == s.coverage.end]
    if covered:
        listed = ", ".join(covered)
        notes.append(
            f"{listed}: 이후 다이제스트에 이미 담겼습니다."
            if lang == "ko"
            else f"{listed}: already covered by a later digest."
        )
    for s in mine:
        if s.ok and s.coverage and s.coverage.gone:
            n = s.coverage.gone
            notes.append(
                f"{s.name} 소스가 더 이상 제공하지 않는 항목 {n}건은 이번 재빌드에 빠졌습니다."
                if lang == "ko"
                else f"{n} of {s.name}'s items are no longer served by it and are missing"
                " from this rebuild."
            )
    quiet = [
        s.name for s in mine if s.ok and s.items == 0 and s.name not in covered and not _silent(s)
    ]
    if total == 0 and quiet:
        listed = ", ".join(quiet)
        notes.append(
            f"지난 다이제스트 이후 {listed}에 새 항목이 없습니다."
            if lang == "ko"
            else f"Nothing new from {listed} since the previous digest."
        )
    return notes


def _silent(status: SourceStatus) -> bool:
    """A source on arXiv's calendar that had no announcement to take (its note says why)."""
    announced = announced_of(status.coverage) if status.coverage else None
    return announced is not None and not announced.announcements


def kind_note(kind: str, total: int, statuses: Sequence[SourceStatus], tz: str, lang: str) -> str:
    return " ".join(kind_notes(kind, total, statuses, tz, lang))
