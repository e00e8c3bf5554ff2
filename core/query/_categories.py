"""Category names in a command: longest match first, aliases and prefixes, the kind they imply,
and the problems (ambiguous, wrong kind, unknown with close matches)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from core.items import KINDS, Kind
from core.query._words import (
    Context,
    Hit,
    Problem,
    norm,
    one_of,
    shown,
)
from core.query._zones import city_zone
from core.taxonomy import Category, Taxonomy

MAX_SPAN = 6  # words in the longest category name we try to match


def kinds_of(hits: Sequence[Hit]) -> tuple[Kind, ...]:
    """The kinds some hit belongs to; () when that is every kind (or nothing narrows it)."""
    have = {c.kind for h in hits for c in h.cats}
    return () if not have or have >= set(KINDS) else tuple(k for k in KINDS if k in have)


def category_hits(
    runs: Sequence[Sequence[str]], kind: Kind | None, tx: Taxonomy
) -> tuple[list[Hit], Problem | None]:
    """Read each run of leftover words as category names, longest name first."""
    hits: list[Hit] = []
    for run in runs:
        i = 0
        while i < len(run):
            got = match_at(run, i, kind, tx)
            if isinstance(got, Problem):
                return hits, got
            hits.append(got[0])
            i += got[1]
    return hits, None


def match_at(
    run: Sequence[str], i: int, kind: Kind | None, tx: Taxonomy
) -> tuple[Hit, int] | Problem:
    word = run[i]
    if word.startswith("<") or word.endswith(">"):
        return Problem(
            lambda c: (
                f"Mentions, channels and links aren't part of a command ('{shown(word)}'). "
                f"Try: {c.cmd()}"
            )
        )
    spans = [(n, " ".join(run[i : i + n])) for n in range(min(len(run) - i, MAX_SPAN), 0, -1)]
    for n, phrase in spans:
        if is_others(phrase, tx):
            return Problem(
                lambda c: (
                    "Others is not a section: it is only counted in the day's overview. "
                    f"Try: {replace(c, categories=()).cmd()}"
                )
            )
        cats = resolve(tx, phrase, kind)
        if len({c.id for c in cats}) > 1:
            return ambiguous(phrase, cats)
        if cats:
            return Hit(phrase, tuple(cats)), n
    if kind:
        for _, phrase in spans:
            elsewhere = resolve(tx, phrase, None)
            if elsewhere:
                return wrong_kind(elsewhere[0], kind)
    return unknown(run[i:], kind, tx)


def resolve(tx: Taxonomy, phrase: str, kind: Kind | None) -> list[Category]:
    cats = tx.resolve(phrase, kind)
    if not cats and re.search(r"\band\b", phrase, re.I):  # "audio and speech"
        cats = tx.resolve(re.sub(r"\band\b", "&", phrase, flags=re.I), kind)
    return cats


def is_others(phrase: str, tx: Taxonomy) -> bool:
    said = norm(phrase)
    return any(
        said in {norm(c.id), norm(c.name), *map(norm, c.aliases)}
        for k in KINDS
        for c in tx.of(k)
        if not c.is_section
    )


def example_with(c: Context, cat: Category, tx: Taxonomy) -> str:
    """An example command naming `cat`, with its kind when only one kind has it."""
    if c.kind is None and not c.categories and sum(cat.id in tx.ids(k) for k in KINDS) == 1:
        c = replace(c, kind=cat.kind)
    return replace(c, categories=(*c.categories, cat.name)).cmd()


def ambiguous(phrase: str, cats: Sequence[Category]) -> Problem:
    # Kind comes from the category here: the example must pick exactly that one.
    def build(c: Context) -> str:
        tries = [replace(c, kind=k.kind, categories=(*c.categories, k.name)).cmd() for k in cats]
        names = one_of([f"{k.name} ({k.kind})" for k in cats])
        return f"'{shown(phrase)}' could be {names}. Try: {one_of(tries)}"

    return Problem(build)


def wrong_kind(cat: Category, kind: Kind) -> Problem:
    def build(c: Context) -> str:
        fixed = replace(c, kind=cat.kind, categories=(*c.categories, cat.name)).cmd()
        return f"{cat.name} is a {cat.kind} category, not {kind}. Try: {fixed}"

    return Problem(build)


def unknown(words: Sequence[str], kind: Kind | None, tx: Taxonomy) -> Problem:
    def build(c: Context) -> str:  # suggestions cost: only for the problem that is shown
        phrase = " ".join(words)
        names = tx.suggest(phrase, kind) if len(words) > 1 else []
        said = phrase if names else words[0]
        names = names or tx.suggest(words[0], kind)
        by_name = {c.name: c for k in ((kind,) if kind else KINDS) for c in tx.sections(k)}
        zone = city_zone(words[0])
        msg = f"I don't know the category '{shown(said)}'."
        if zone and c.command == "subscribe":
            return f"{msg} Did you mean the time zone {zone}? Try: {replace(c, tz=zone).cmd()}"
        if names:
            tries = [example_with(c, by_name[n], tx) for n in names if n in by_name]
            return f"{msg} Did you mean {one_of(names)}? Try: {one_of(tries)}"
        some = list(by_name.values())
        listed = ", ".join(x.name for x in some) or "none are configured"
        fix = example_with(c, some[0], tx) if some else replace(c, categories=()).cmd()
        return f"{msg} Categories{f' of {kind}' if kind else ''}: {listed}. Try: {fix}"

    return Problem(build)
