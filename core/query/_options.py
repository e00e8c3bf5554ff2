"""Typed commands: option values (a slash command's options, a CLI's flags) straight into a
query, never joined into text and parsed again. Each value is read as its own option only: a
category named "LLM share" is an unknown category (not a category and a `share`), a category
list "zzz, llm" has the unknown item 'zzz'. A value that is not valid for its option gives an
OptionError naming that option; its message ends with an example that works, in the grammar's
words (a front-end rewrites examples in its own syntax, as Discord's texts.slashify does).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, replace

from core.items import KINDS, Kind
from core.query._categories import ambiguous, is_others, resolve, unknown, wrong_kind
from core.query._dates import date_of
from core.query._search import EXAMPLE as SEARCH_EXAMPLE
from core.query._search import MAX_WORDS_CHARS as MAX_SEARCH
from core.query._types import SearchQuery, ShowQuery, SubscribeQuery, UnsubscribeQuery
from core.query._words import LANGS, Context, Problem, blank_controls, shown
from core.query._zones import bad_time, bad_zone, city_zone, clock, zone
from core.taxonomy import Category, Taxonomy

MAX_VALUE = 200  # characters of one option value that are worth reading
_KIND_VALUES: dict[str, Kind | None] = {"news": "news", "papers": "papers", "all": None}


@dataclass(frozen=True)
class OptionError:
    option: str  # the option's name, as the front-end calls it
    message: str


def show_options(
    tx: Taxonomy,
    today: dt.date,
    *,
    kind: str | None = None,
    category: str | None = None,
    date: str | None = None,
    share: bool = False,
) -> ShowQuery | OptionError:
    """`show` from its options: kind (news, papers or all), one category, one date."""
    only = _kind(kind, "kind")
    if isinstance(only, OptionError):
        return only
    ctx = Context(kind=only, share=share)
    day: dt.date | None = None
    if _given(date):
        got = date_of(_clean(date), today)
        if got is None:
            got = _not_a_date(_clean(date), today)
        if isinstance(got, Problem):
            return OptionError("date", got.build(ctx))
        day = got
        ctx = replace(ctx, day=day)
    if not _given(category):
        return ShowQuery((only,) if only else (), None, day, share)
    cats = _category(_clean(category), only, tx)
    if isinstance(cats, Problem):
        return OptionError("category", cats.build(ctx))
    kinds = (only,) if only else _kinds(cats)
    return ShowQuery(kinds, cats[0].id, day, share)


def subscribe_options(
    tx: Taxonomy,
    *,
    kinds: str | None = None,
    categories: str | None = None,
    time: str | None = None,
    timezone: str | None = None,
    language: str | None = None,
) -> SubscribeQuery | OptionError:
    """`subscribe` from its options; `categories` is a comma-separated list."""
    only = _kind(kinds, "kinds")
    if isinstance(only, OptionError):
        return only
    ctx = Context("subscribe", kind=only)
    at: dt.time | None = None
    if _given(time):
        at = clock(_clean(time))
        if at is None:
            return OptionError("time", bad_time(_clean(time)).build(ctx))
        ctx = replace(ctx, at=at)
    tz: str | None = None
    if _given(timezone):
        said = _clean(timezone)
        tz = zone(said) or city_zone(said)
        if tz is None:
            return OptionError("timezone", bad_zone(said).build(ctx))
        ctx = replace(ctx, tz=tz)
    lang: str | None = None
    if _given(language):
        lang = LANGS.get(_clean(language).lower())
        if lang is None:
            fix = replace(ctx, lang="en").cmd()
            return OptionError(
                "language",
                f"'{shown(language or '')}' is not a language I write: ko or en. Try: {fix}",
            )
        ctx = replace(ctx, lang=lang)
    pairs: list[tuple[Kind, str]] = []
    for item in _clean(categories).split(",") if _given(categories) else []:
        if not item.strip():
            continue
        cats = _category(item.strip(), only, tx)
        if isinstance(cats, Problem):
            return OptionError("categories", cats.build(ctx))
        pairs += [(c.kind, c.id) for c in cats]
        ctx = replace(ctx, categories=(*ctx.categories, cats[0].name))
    chosen = (only,) if only else _kinds_of_pairs(pairs)
    return SubscribeQuery(chosen, tuple(dict.fromkeys(pairs)), at, tz, lang)


def search_options(
    tx: Taxonomy, *, words: str | None, kind: str | None = None, category: str | None = None
) -> SearchQuery | OptionError:
    """`search` from its options: the words to find, maybe a kind and a category."""
    only = _kind(kind, "kind")
    if isinstance(only, OptionError):
        return only
    said = _clean(words)
    if not said:
        return OptionError("words", f"Search for what? Give words to find. Try: {SEARCH_EXAMPLE}")
    if len(said) > MAX_SEARCH:
        return OptionError("words", f"Search words are at most {MAX_SEARCH} characters. "
                           f"Try: {SEARCH_EXAMPLE}")  # fmt: skip
    if not _given(category):
        return SearchQuery(said, only, None)
    cats = _category(_clean(category), only, tx)
    if isinstance(cats, Problem):
        return OptionError("category", cats.build(Context("search", kind=only)))
    return SearchQuery(said, only, cats[0].id)


def unsubscribe_options(*, kinds: str | None = None) -> UnsubscribeQuery | OptionError:
    only = _kind(kinds, "kinds")
    if isinstance(only, OptionError):
        return only
    return UnsubscribeQuery((only,) if only else ())


def _kind(value: str | None, option: str) -> Kind | OptionError | None:
    if not _given(value):
        return None
    said = _clean(value).lower()
    if said not in _KIND_VALUES:
        return OptionError(option, f"'{shown(value or '')}' is not a kind; use news, papers or "
                           "all. Try: `/aidigest papers`")  # fmt: skip
    return _KIND_VALUES[said]


def _category(said: str, kind: Kind | None, tx: Taxonomy) -> list[Category] | Problem:
    """The categories one value names (one per kind that has it), or what is wrong with it."""
    if is_others(said, tx):
        return Problem(lambda c: "Others is not a section: it is only counted in the day's "
                       f"overview. Try: {replace(c, categories=()).cmd()}")  # fmt: skip
    cats = resolve(tx, said, kind)
    if len({c.id for c in cats}) > 1:
        return ambiguous(said, cats)
    if cats:
        return cats
    if kind and (elsewhere := resolve(tx, said, None)):
        return wrong_kind(elsewhere[0], kind)
    return _starts_with_one(said, kind, tx) or unknown([said], kind, tx)


def _starts_with_one(said: str, kind: Kind | None, tx: Taxonomy) -> Problem | None:
    """'LLM at 03:00 UTC en': a category followed by words of other options."""
    words = said.split()
    for n in range(len(words) - 1, 0, -1):
        cats = resolve(tx, " ".join(words[:n]), kind)
        if len({c.id for c in cats}) == 1:
            return _did_you_mean(said, cats[0].name)
    return None


def _did_you_mean(said: str, name: str) -> Problem:
    def build(c: Context) -> str:
        fix = replace(c, categories=(*c.categories, name)).cmd()
        return (
            f"I don't know the category '{shown(said)}'. Did you mean {name}? Each option "
            f"takes only its own value. Try: {fix}"
        )

    return Problem(build)


def _not_a_date(said: str, today: dt.date) -> Problem:
    return Problem(lambda c: f"'{shown(said)}' is not a date I can read; use YYYY-MM-DD, today, "
                   f"yesterday or -N. Try: {replace(c, day=today).cmd()}")  # fmt: skip


def _kinds(cats: list[Category]) -> tuple[Kind, ...]:
    have = {c.kind for c in cats}
    return () if have >= set(KINDS) else tuple(k for k in KINDS if k in have)


def _kinds_of_pairs(pairs: list[tuple[Kind, str]]) -> tuple[Kind, ...]:
    have = {k for k, _ in pairs}
    return () if not have or have >= set(KINDS) else tuple(k for k in KINDS if k in have)


def _given(value: str | None) -> bool:
    return value is not None and bool(_clean(value))


def _clean(value: str | None) -> str:
    """What was typed, as a person sees it: full-width forms folded, invisible characters gone."""
    text = unicodedata.normalize("NFKC", blank_controls(value or "")[:MAX_VALUE])
    return " ".join(text.split())
