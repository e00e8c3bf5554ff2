"""The `/aidigest` grammar shared by the CLI, the Slack bot and the Discord bot.

`parse(text, taxonomy, today)` turns what a person typed into a Query, or a QueryError whose
message says what would work (always with an example starting "/aidigest "). It never raises.

    [show] [news|papers|all] [CATEGORY] [DATE] [share]     in any order
    help [TOPIC] | dates | subscriptions | unsubscribe [news|papers|all]
    subscribe [news|papers|all] [CATEGORY...] [at HH:MM] [TZ] [ko|en]
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
import unicodedata
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import TypeAlias

from core.help_text import usage
from core.items import KINDS, Kind
from core.taxonomy import Category, Taxonomy

__all__ = [
    "DatesQuery",
    "HelpQuery",
    "Query",
    "QueryError",
    "ShowQuery",
    "SubscribeQuery",
    "SubscriptionsQuery",
    "UnsubscribeQuery",
    "parse",
    "usage",
]

MAX_CHARS = 500
MAX_DAYS_AGO = 3650
FIRST_DAY = dt.date(2000, 1, 1)
_MAX_SPAN = 6  # words in the longest category name we try to match


@dataclass(frozen=True)
class ShowQuery:
    """Show a day. kinds () = all kinds; category None = every section; date None = newest day."""

    kinds: tuple[Kind, ...] = ()
    category: str | None = None
    date: dt.date | None = None
    share: bool = False


@dataclass(frozen=True)
class HelpQuery:
    topic: str | None = None  # one of help_text.TOPICS


@dataclass(frozen=True)
class DatesQuery:
    pass


@dataclass(frozen=True)
class SubscribeQuery:
    """None fields mean: use the channel's or server's default."""

    kinds: tuple[Kind, ...] = ()
    categories: tuple[tuple[Kind, str], ...] = ()  # () = every section of `kinds`
    time: dt.time | None = None
    tz: str | None = None  # a canonical IANA name
    lang: str | None = None  # "ko" or "en"


@dataclass(frozen=True)
class UnsubscribeQuery:
    kinds: tuple[Kind, ...] = ()  # () = everything of this channel


@dataclass(frozen=True)
class SubscriptionsQuery:
    pass


@dataclass(frozen=True)
class QueryError:
    message: str


Query: TypeAlias = (
    ShowQuery | HelpQuery | DatesQuery | SubscribeQuery | UnsubscribeQuery | SubscriptionsQuery
)

_KIND_WORDS: dict[str, Kind | None] = {  # None: all kinds
    "news": "news", "뉴스": "news", "papers": "papers", "paper": "papers", "논문": "papers",
    "all": None, "전체": None,
}  # fmt: skip
_COMMANDS = {
    "help": "help", "?": "help", "-h": "help", "--help": "help", "도움말": "help",
    "dates": "dates", "subscribe": "subscribe", "unsubscribe": "unsubscribe",
    "subscriptions": "subscriptions",
}  # fmt: skip
_HELP_TOPICS = {
    "show": "show", "share": "show", **{w: "show" for w in _KIND_WORDS},
    "date": "dates", "dates": "dates", "날짜": "dates",
    "category": "categories", "categories": "categories", "카테고리": "categories",
    "subscribe": "subscribe", "unsubscribe": "subscribe", "subscriptions": "subscribe",
    "구독": "subscribe",
}  # fmt: skip
_DATE_WORDS = {"today": 0, "오늘": 0, "yesterday": 1, "어제": 1}
_LANGS = {"ko": "ko", "kr": "ko", "korean": "ko", "한국어": "ko", "en": "en", "english": "en"}
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", re.ASCII)
_AGO = re.compile(r"-(\d{1,9})", re.ASCII)
_DATEISH = re.compile(r"[-+]?\d+([-/.]\d+)*", re.ASCII)
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})", re.ASCII)
_HOUR = re.compile(r"(\d{1,2})()", re.ASCII)
_OFFSET = re.compile(r"(?:utc|gmt)([+-])(\d{1,2})(?::?00)?", re.ASCII)
_UNSAFE = str.maketrans("", "", "<>@`*~|\\")  # mentions and markdown, when echoing words


@dataclass(frozen=True)
class _Ctx:
    """What was understood so far, to write example commands that fix the one problem."""

    command: str = ""
    kind: Kind | None = None
    categories: tuple[str, ...] = ()  # names people can type
    day: dt.date | None = None
    at: dt.time | None = None
    tz: str | None = None
    lang: str | None = None
    share: bool = False

    def cmd(self) -> str:
        at = f"at {self.at:%H:%M}" if self.at else ""
        day = self.day.isoformat() if self.day else ""
        words = [self.command, self.kind or "", *self.categories, day, at, self.tz or ""]
        words += [self.lang or "", "share" if self.share else ""]
        # "/aidigest all" reads exactly like a bare "/aidigest" and shows it takes words.
        return "`" + " ".join(["/aidigest", *([w for w in words if w] or ["all"])]) + "`"


@dataclass(frozen=True)
class _Problem:
    build: Callable[[_Ctx], str]  # called with the context once everything else is parsed


@dataclass(frozen=True)
class _Hit:
    words: str
    cats: tuple[Category, ...]  # one id, one entry per kind that has it


def parse(text: str, taxonomy: Taxonomy, today: dt.date) -> Query | QueryError:
    """Read one command. Any text gives a Query or a QueryError; nothing a user types raises."""
    try:
        return _parse(text, taxonomy, today)
    except Exception:  # a bug here must not take the bot down; tests assert this never happens
        return QueryError(INTERNAL_ERROR)


INTERNAL_ERROR = "Sorry, I couldn't read that. Try: `/aidigest help`"


def _parse(text: str, tx: Taxonomy, today: dt.date) -> Query | QueryError:
    if len(text) > MAX_CHARS:
        return QueryError(
            f"That's {len(text)} characters; a command is at most {MAX_CHARS}. "
            f"Try: `/aidigest papers LLM {today.isoformat()}`"
        )
    words = _words(text)
    if words and words[0].lower() in ("/aidigest", "aidigest"):
        words = words[1:]
    if words and words[0].lower() == "show":  # the CLI's verb, harmless here
        words = words[1:]
    head = _COMMANDS.get(words[0].lower()) if words else None
    if head is None:
        return _show(words, tx, today)
    rest = words[1:]
    if head == "help":
        topics = [_HELP_TOPICS[w.lower()] for w in rest if w.lower() in _HELP_TOPICS]
        return HelpQuery(topics[0] if topics else None)
    if head == "subscribe":
        return _subscribe(rest, tx, today)
    if head == "unsubscribe":
        return _unsubscribe(rest)
    if rest:
        return QueryError(f"'{head}' takes no other words. Try: `/aidigest {head}`")
    return DatesQuery() if head == "dates" else SubscriptionsQuery()


def _words(text: str) -> list[str]:
    # Slack escapes &, < and > in slash command text; control and format characters
    # (zero-width spaces from copy-paste) separate words.
    text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    text = unicodedata.normalize("NFKC", _blank_controls(text))  # full-width digits → ASCII
    return re.split(r"[\s,]+", _blank_controls(text).strip()) if text.strip() else []


def _blank_controls(text: str) -> str:
    return "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)


def _shown(word: str) -> str:
    """A typed word safe to echo: no mentions or markdown, not too long."""
    w = word.translate(_UNSAFE)
    return (w[:30] + "…" if len(w) > 30 else w) or "that"


def _show(words: Sequence[str], tx: Taxonomy, today: dt.date) -> ShowQuery | QueryError:
    share = False
    kind_words: list[str] = []
    dates: list[tuple[str, dt.date]] = []
    problems: list[_Problem] = []
    runs: list[list[str]] = [[]]
    for w in words:
        lw = w.lower()
        if lw == "share":
            share = True
        elif lw in _KIND_WORDS:
            kind_words.append(lw)
        elif lw in _COMMANDS:
            problems.append(_not_first(w))
        elif (d := _date_of(w, today)) is not None:
            if isinstance(d, _Problem):
                problems.append(d)
            else:
                dates.append((w, d))
        else:
            runs[-1].append(w)
            continue
        runs.append([])  # a category name never spans a keyword
    kinds = {_KIND_WORDS[w] for w in kind_words}
    only = next(iter(kinds)) if len(kinds) == 1 else None
    hits, cat_problem = _categories(runs, only, tx)
    ids = list(dict.fromkeys(h.cats[0].id for h in hits))
    day = dates[0][1] if len({d for _, d in dates}) == 1 else None
    cat = hits[0].cats[0].name if len(ids) == 1 else None
    ctx = _Ctx(kind=only, categories=(cat,) if cat else (), day=day, share=share)
    if problems:
        return QueryError(problems[0].build(ctx))
    if len(kinds) > 1:
        a = kind_words[0]
        b = next(w for w in kind_words if _KIND_WORDS[w] != _KIND_WORDS[a])
        have = {c.kind for c in hits[0].cats} if len(ids) == 1 else set(KINDS)
        tries = [replace(ctx, kind=k).cmd() for k in KINDS if k in have]
        return QueryError(
            f"'{a}' and '{b}' conflict: a query asks for one kind (or all). Try: {_or(tries)}"
        )
    if day is None and dates:
        (a, _), (b, _) = dates[0], next(x for x in dates if x[1] != dates[0][1])
        tries = [replace(ctx, day=d).cmd() for d in dict.fromkeys(d for _, d in dates)]
        return QueryError(f"'{_shown(a)}' and '{_shown(b)}' are two dates. Try: {_or(tries)}")
    if cat_problem:
        return QueryError(cat_problem.build(replace(ctx, categories=())))
    if len(ids) > 1:
        names = [next(h for h in hits if h.cats[0].id == i).cats[0].name for i in ids]
        tries = [replace(ctx, categories=(n,)).cmd() for n in names]
        said = " and ".join(f"'{_shown(h.words)}'" for h in hits[:2])
        return QueryError(f"{said} are two categories; ask for one at a time. Try: {_or(tries)}")
    if only:
        return ShowQuery((only,), ids[0] if ids else None, day, share)
    return ShowQuery(_kinds_of(hits), ids[0] if ids else None, day, share)


def _kinds_of(hits: Sequence[_Hit]) -> tuple[Kind, ...]:
    """The kinds some hit belongs to; () when that is every kind (or nothing narrows it)."""
    have = {c.kind for h in hits for c in h.cats}
    return () if not have or have >= set(KINDS) else tuple(k for k in KINDS if k in have)


def _categories(
    runs: Sequence[Sequence[str]], kind: Kind | None, tx: Taxonomy
) -> tuple[list[_Hit], _Problem | None]:
    """Read each run of leftover words as category names, longest name first."""
    hits: list[_Hit] = []
    for run in runs:
        i = 0
        while i < len(run):
            got = _match_at(run, i, kind, tx)
            if isinstance(got, _Problem):
                return hits, got
            hits.append(got[0])
            i += got[1]
    return hits, None


def _match_at(
    run: Sequence[str], i: int, kind: Kind | None, tx: Taxonomy
) -> tuple[_Hit, int] | _Problem:
    word = run[i]
    if word.startswith("<") or word.endswith(">"):
        return _Problem(
            lambda c: (
                f"Mentions, channels and links aren't part of a command ('{_shown(word)}'). "
                f"Try: {c.cmd()}"
            )
        )
    spans = [(n, " ".join(run[i : i + n])) for n in range(min(len(run) - i, _MAX_SPAN), 0, -1)]
    for n, phrase in spans:
        if _is_others(phrase, tx):
            return _Problem(
                lambda c: (
                    "Others is not a section: it is only counted in the day's overview. "
                    f"Try: {replace(c, categories=()).cmd()}"
                )
            )
        cats = _resolve(tx, phrase, kind)
        if len({c.id for c in cats}) > 1:
            return _ambiguous(phrase, cats)
        if cats:
            return _Hit(phrase, tuple(cats)), n
    if kind:
        for _, phrase in spans:
            elsewhere = _resolve(tx, phrase, None)
            if elsewhere:
                return _wrong_kind(elsewhere[0], kind)
    return _unknown(run[i:], kind, tx)


def _resolve(tx: Taxonomy, phrase: str, kind: Kind | None) -> list[Category]:
    cats = tx.resolve(phrase, kind)
    if not cats and re.search(r"\band\b", phrase, re.I):  # "audio and speech"
        cats = tx.resolve(re.sub(r"\band\b", "&", phrase, flags=re.I), kind)
    return cats


def _is_others(phrase: str, tx: Taxonomy) -> bool:
    said = _norm(phrase)
    return any(
        said in {_norm(c.id), _norm(c.name), *map(_norm, c.aliases)}
        for k in KINDS
        for c in tx.of(k)
        if not c.is_section
    )


def _norm(s: str) -> str:
    return " ".join(s.lower().replace("_", " ").replace("-", " ").split())


def _example(c: _Ctx, cat: Category, tx: Taxonomy) -> str:
    """An example command naming `cat`, with its kind when only one kind has it."""
    if c.kind is None and not c.categories and sum(cat.id in tx.ids(k) for k in KINDS) == 1:
        c = replace(c, kind=cat.kind)
    return replace(c, categories=(*c.categories, cat.name)).cmd()


def _ambiguous(phrase: str, cats: Sequence[Category]) -> _Problem:
    # Kind comes from the category here: the example must pick exactly that one.
    def build(c: _Ctx) -> str:
        tries = [replace(c, kind=k.kind, categories=(*c.categories, k.name)).cmd() for k in cats]
        names = _or([f"{k.name} ({k.kind})" for k in cats])
        return f"'{_shown(phrase)}' could be {names}. Try: {_or(tries)}"

    return _Problem(build)


def _wrong_kind(cat: Category, kind: Kind) -> _Problem:
    def build(c: _Ctx) -> str:
        fixed = replace(c, kind=cat.kind, categories=(*c.categories, cat.name)).cmd()
        return f"{cat.name} is a {cat.kind} category, not {kind}. Try: {fixed}"

    return _Problem(build)


def _unknown(words: Sequence[str], kind: Kind | None, tx: Taxonomy) -> _Problem:
    phrase = " ".join(words)
    names = tx.suggest(phrase, kind) if len(words) > 1 else []
    said = phrase if names else words[0]
    names = names or tx.suggest(words[0], kind)
    by_name = {c.name: c for k in ((kind,) if kind else KINDS) for c in tx.sections(k)}
    zone = _city_zone(words[0])

    def build(c: _Ctx) -> str:
        msg = f"I don't know the category '{_shown(said)}'."
        if zone and c.command == "subscribe":
            return f"{msg} Did you mean the time zone {zone}? Try: {replace(c, tz=zone).cmd()}"
        if names:
            tries = [_example(c, by_name[n], tx) for n in names if n in by_name]
            return f"{msg} Did you mean {_or(names)}? Try: {_or(tries)}"
        some = list(by_name.values())
        listed = ", ".join(x.name for x in some) or "none are configured"
        example = _example(c, some[0], tx) if some else replace(c, categories=()).cmd()
        return f"{msg} Categories{f' of {kind}' if kind else ''}: {listed}. Try: {example}"

    return _Problem(build)


def _not_first(word: str) -> _Problem:
    cmd = _COMMANDS[word.lower()]
    return _Problem(lambda c: f"'{cmd}' is a command of its own; put it first: `/aidigest {cmd}`")


def _or(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _date_of(word: str, today: dt.date) -> dt.date | _Problem | None:
    """The date a word names, a problem if it tries to name one and fails, else None."""
    lw = word.lower()
    if lw in _DATE_WORDS:
        return _checked(today - dt.timedelta(days=_DATE_WORDS[lw]), word, today)
    if m := _AGO.fullmatch(lw):
        n = int(m.group(1))
        if n > MAX_DAYS_AGO:
            return _Problem(
                lambda c: (
                    f"-{n} is too far back; -N goes up to -{MAX_DAYS_AGO} days. "
                    f"Try: {replace(c, day=None).cmd()} or `/aidigest dates`"
                )
            )
        return _checked(today - dt.timedelta(days=n), word, today)
    if m := _YMD.fullmatch(lw):
        y, mo, d = (int(g) for g in m.groups())
        if y < FIRST_DAY.year:  # before any month arithmetic: year 0 is no year at all
            return _checked(dt.date.min, word, today)
        if not 1 <= mo <= 12:
            return _Problem(
                lambda c: (
                    f"'{_shown(word)}' has no month {mo}; months go 01 to 12 (YYYY-MM-DD). "
                    f"Try: {replace(c, day=today).cmd()}"
                )
            )
        last = calendar.monthrange(y, mo)[1]
        if not 1 <= d <= last:
            return _Problem(
                lambda c: (
                    f"'{_shown(word)}' is not a date: {calendar.month_name[mo]} {y} has "
                    f"{last} days. Try: {replace(c, day=min(dt.date(y, mo, last), today)).cmd()}"
                )
            )
        return _checked(dt.date(y, mo, d), word, today)
    if _DATEISH.fullmatch(lw):
        hint = f" (-{lw} means {lw} days ago)" if lw.isdigit() and len(lw) <= 4 else ""
        return _Problem(
            lambda c: (
                f"'{_shown(word)}' is not a date I can read{hint}; use YYYY-MM-DD, today, "
                f"yesterday or -N. Try: {replace(c, day=today).cmd()}"
            )
        )
    return None


def _checked(day: dt.date, word: str, today: dt.date) -> dt.date | _Problem:
    if day > today:
        return _Problem(
            lambda c: (
                f"{day.isoformat()} hasn't happened yet (today is {today.isoformat()}). "
                f"Try: {replace(c, day=today).cmd()} or {replace(c, day=None).cmd()} (newest day)"
            )
        )
    if day < FIRST_DAY:
        return _Problem(
            lambda c: (
                f"'{_shown(word)}' is before {FIRST_DAY.year}; there is nothing that old. "
                f"Try: {replace(c, day=today).cmd()} or `/aidigest dates` (the days that are ready)"
            )
        )
    return day


def _clock(word: str | None, *, hour_alone: bool = False) -> dt.time | None:
    if word is None:
        return None
    m = _CLOCK.fullmatch(word) or (_HOUR.fullmatch(word) if hour_alone else None)
    if not m or int(m.group(1)) > 23 or int(m.group(2) or 0) > 59:
        return None
    return dt.time(int(m.group(1)), int(m.group(2) or 0))


@cache
def _zones() -> dict[str, str]:
    try:
        names = zoneinfo.available_timezones() - {"localtime", "posixrules", "Factory"}
    except Exception:  # no tz database at all: UTC still works below
        names = set()
    zones = {n.lower(): n for n in names}
    zones.setdefault("utc", "UTC")
    zones["kst"] = "Asia/Seoul"  # what Korean users write
    return zones


def _zone(word: str) -> str | None:
    name = _zones().get(word.lower())
    if name is None:
        return None
    try:
        zoneinfo.ZoneInfo(name)
    except Exception:  # listed but unloadable: as good as unknown
        return None if name != "UTC" else name
    return name


def _city_zone(word: str) -> str | None:
    """'seoul' → Asia/Seoul, when exactly one zone ends with that city."""
    tails = {z for z in _zones().values() if z.lower().rsplit("/", 1)[-1] == word.lower()}
    return next(iter(tails)) if len(tails) == 1 and "/" in next(iter(tails)) else None


def _subscribe(words: Sequence[str], tx: Taxonomy, today: dt.date) -> Query | QueryError:
    kind_words: list[str] = []
    times: list[dt.time] = []
    zones: list[str] = []
    langs: list[str] = []
    problems: list[_Problem] = []
    runs: list[list[str]] = [[]]
    i = 0
    while i < len(words):
        w, lw = words[i], words[i].lower()
        i += 1
        if lw == "at" or _CLOCK.fullmatch(lw):
            said: str | None = w
            if lw == "at":
                said = words[i] if i < len(words) else None
                i += 1
            t = _clock(said, hour_alone=lw == "at")
            if t is None:
                problems.append(_bad_time(said))
            else:
                times.append(t)
        elif lw in _KIND_WORDS:
            kind_words.append(lw)
        elif lw in _LANGS:
            langs.append(_LANGS[lw])
        elif not tx.resolve(w) and ("/" in w or lw in _zones() or _OFFSET.fullmatch(lw)):
            z = _zone(w)
            if z is None:
                problems.append(_bad_zone(w))
            else:
                zones.append(z)
        elif lw == "share" or lw in _COMMANDS or _date_of(w, today) is not None:
            problems.append(_Problem(_no_word(w)))
        else:
            runs[-1].append(w)
            continue
        runs.append([])
    kinds = {_KIND_WORDS[w] for w in kind_words}
    only = next(iter(kinds)) if len(kinds) == 1 else None
    hits, cat_problem = _categories(runs, only, tx)
    at = times[0] if len(set(times)) == 1 else None
    tz = zones[0] if len(set(zones)) == 1 else None
    lang = langs[0] if len(set(langs)) == 1 else None
    names = tuple(dict.fromkeys(h.cats[0].name for h in hits))
    ctx = _Ctx("subscribe", only, names, at=at, tz=tz, lang=lang)
    if problems:
        return QueryError(problems[0].build(ctx))
    for said_what, n in (
        ("kinds", len(kinds)),
        ("times", len(set(times))),
        ("zones", len(set(zones))),
    ):
        if n > 1:
            return QueryError(f"Two {said_what} in one subscription; pick one. Try: {ctx.cmd()}")
    if len(set(langs)) > 1:
        return QueryError(f"Pick one language, ko or en. Try: {replace(ctx, lang='en').cmd()}")
    if cat_problem:
        return QueryError(cat_problem.build(ctx))
    pairs = tuple(dict.fromkeys((c.kind, c.id) for h in hits for c in h.cats))
    return SubscribeQuery((only,) if only else _kinds_of(hits), pairs, at, tz, lang)


def _bad_time(said: str | None) -> _Problem:
    got = f"'{_shown(said)}' isn't a time of day" if said else "'at' needs a time"
    return _Problem(
        lambda c: (
            f"{got}; use 24-hour HH:MM (00:00 to 23:59). Try: {replace(c, at=dt.time(8, 30)).cmd()}"
        )
    )


def _bad_zone(word: str) -> _Problem:
    if m := _OFFSET.fullmatch(word.lower()):
        # POSIX Etc/GMT names have the sign reversed: UTC+9 is Etc/GMT-9.
        guess = f"Etc/GMT{'-' if m.group(1) == '+' else '+'}{int(m.group(2))}"
        near = [guess.lower()] if guess.lower() in _zones() else []
    else:
        near = difflib.get_close_matches(word.lower(), list(_zones()), n=1, cutoff=0.6)
    guess = _zones()[near[0]] if near else "Asia/Seoul"
    did = f"Did you mean {guess}?" if near else "Use an IANA name such as Asia/Seoul or UTC."
    return _Problem(
        lambda c: (
            f"I don't know the time zone '{_shown(word)}'. {did} Try: {replace(c, tz=guess).cmd()}"
        )
    )


def _no_word(word: str) -> Callable[[_Ctx], str]:
    return lambda c: f"'{_shown(word)}' doesn't go in a subscription. Try: {c.cmd()}"


def _unsubscribe(words: Sequence[str]) -> UnsubscribeQuery | QueryError:
    if (
        any(w.lower() not in _KIND_WORDS for w in words)
        or len({_KIND_WORDS[w.lower()] for w in words}) > 1
    ):
        return QueryError(
            "unsubscribe takes one of news, papers or all (nothing means everything). "
            "Try: `/aidigest unsubscribe papers` or `/aidigest unsubscribe`"
        )
    kind = _KIND_WORDS[words[0].lower()] if words else None
    return UnsubscribeQuery((kind,) if kind else ())
