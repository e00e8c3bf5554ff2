"""Buttons and select menus on `/aidigest` answers, and reading a press back into a query.

    custom_id = "aidigest:{VERSION}:{action}:{kind}:{category}:{date}"   (at most 100 chars)

    action "s"  show (kind, category, date): the previous/next-day buttons of a section, and an
                overview's "all sections" button; kind "all" is both kinds, category "-" none
    action "p"  an overview's select menu of one kind; the chosen option's value is the category.
                A select menu offers at most 25 options: a kind with more categories gets more
                menus, told apart by their category slot ("-" the first, "-2" … "-5" the next)

Discord sends a press only for a component of a message the bot sent, but that message may be
old: every press is read back and checked (prefix, version, action, kind, category in the
taxonomy, a real date). One from an older version is refused as stale, anything else as not
ours, each with a polite word and the command that works. The views here are layouts only
(`Layout`): discord.py does not keep them, presses come to the bot's on_interaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import discord

from core.digest import Digest, Section
from core.items import KINDS, Kind
from core.query import ShowQuery
from core.taxonomy import Taxonomy

PREFIX = "aidigest"
VERSION = "1"
SHOW, PICK = "s", "p"
NO_CATEGORY = "-"
MAX_OPTIONS = 25  # Discord: a select menu offers at most 25
MAX_ROWS = 5  # Discord: a message has at most 5 action rows, and a select menu fills one
MAX_LABEL = 100
MAX_PLACEHOLDER = 150
STALE = (
    "That button is from an older version of this bot and no longer works. "
    "Ask again: `/aidigest show`"
)
FOREIGN = (
    "I can't read that control (it isn't one of mine, or it is damaged). Try: `/aidigest show`"
)


@dataclass(frozen=True)
class Refusal:
    message: str


@dataclass(frozen=True)
class Press:
    query: ShowQuery
    moves: bool  # a section's day button: the answer replaces the message it was on


class Layout(discord.ui.View):
    """Components to send, not to listen to: a press is read back from its custom id (`read`)
    in the bot's on_interaction, so a restart loses no button. Finished and not dispatchable
    from the start, so discord.py keeps nothing per message sent (no timers, no memory)."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    def is_dispatchable(self) -> bool:
        return False

    def is_finished(self) -> bool:
        return True


def show_id(kind: Kind | None, category: str | None, day: str) -> str:
    return ":".join([PREFIX, VERSION, SHOW, kind or "all", category or NO_CATEGORY, day])


def pick_id(kind: Kind, day: str, menu: int = 1) -> str:
    """The id of a kind's `menu`-th select menu (its category slot tells the menus apart)."""
    slot = NO_CATEGORY if menu == 1 else f"{NO_CATEGORY}{menu}"
    return ":".join([PREFIX, VERSION, PICK, kind, slot, day])


_MENU_SLOTS = {NO_CATEGORY, *(f"{NO_CATEGORY}{n}" for n in range(2, MAX_ROWS + 1))}


def read(custom_id: str, values: Sequence[str], tx: Taxonomy) -> Press | Refusal:
    """The query a press asks for, or why it is refused."""
    parts = custom_id.split(":")
    if len(parts) < 2 or parts[0] != PREFIX:
        return Refusal(FOREIGN)
    if parts[1] != VERSION:
        return Refusal(STALE)
    if len(parts) != 6 or parts[2] not in (SHOW, PICK):
        return Refusal(FOREIGN)
    _, _, action, kind_word, category, day_text = parts
    kind: Kind | None = next((k for k in KINDS if k == kind_word), None)
    try:
        day = dt.date.fromisoformat(day_text)
    except ValueError:
        return Refusal(FOREIGN)
    if kind is None and kind_word != "all":
        return Refusal(FOREIGN)
    if action == PICK:
        if kind is None or len(values) != 1 or category not in _MENU_SLOTS:
            return Refusal(FOREIGN)
        category = values[0]
    kinds = (kind,) if kind else KINDS
    if category != NO_CATEGORY and not any(category in tx.ids(k) for k in kinds):
        return Refusal(FOREIGN)
    q = ShowQuery((kind,) if kind else (), None if category == NO_CATEGORY else category, day)
    return Press(q, moves=action == SHOW and q.category is not None)


def section_layout(sections: Sequence[Section], dates: Sequence[str]) -> Layout | None:
    """◀ the ready day before, the ready day after ▶, for the category these sections show."""
    if not sections:
        return None
    first = sections[0]
    kinds = {s.kind for s in sections}
    kind: Kind | None = first.kind if len(kinds) == 1 else None
    older = [d for d in dates if d < first.date]
    newer = [d for d in dates if d > first.date]
    before = max(older) if older else None
    after = min(newer) if newer else None
    view = Layout()
    for side, label, day in (("before", f"◀ {before}", before), ("after", f"{after} ▶", after)):
        # a day with none before or after: a greyed button (it still needs an id of its own)
        cid = show_id(kind, first.category, day) if day else f"{PREFIX}:{VERSION}:none-{side}"
        view.add_item(discord.ui.Button(
            label=label if day else "◀" if side == "before" else "▶", custom_id=cid,
            disabled=day is None, style=discord.ButtonStyle.secondary,
        ))  # fmt: skip
    view.add_item(discord.ui.Button(
        label="Overview", style=discord.ButtonStyle.secondary,
        custom_id=show_id(kind, None, first.date),
    ))  # fmt: skip
    return view


def overview_layout(digest: Digest, kinds: Sequence[Kind]) -> Layout | None:
    """Select menus of each kind's categories with their counts, most items first: one menu per
    25 categories, within the message's 5 rows (every kind keeps at least one). Categories past
    that (more than a hundred) are named in the last menu's placeholder as to be typed; the
    overview's text lists them all."""
    wanted: list[tuple[Kind, list[str]]] = []
    for kind in kinds:
        kd = digest.kinds.get(kind)
        if kd is not None and kd.sections:
            wanted.append((kind, list(dict.fromkeys(kd.sections))))
    view = Layout()
    rows = MAX_ROWS
    for i, (kind, cats) in enumerate(wanted):
        menus = min(-(-len(cats) // MAX_OPTIONS), rows - (len(wanted) - i - 1))
        rows -= menus
        for m in range(menus):
            view.add_item(_menu(digest, kind, cats, m, menus))
    return view if view.children else None


def _menu(
    digest: Digest, kind: Kind, cats: list[str], m: int, menus: int
) -> discord.ui.Select[Layout]:
    """The `m`-th of a kind's `menus` select menus, of its categories `cats`."""
    kd = digest.kinds[kind]
    start = m * MAX_OPTIONS
    shown = cats[start : start + MAX_OPTIONS]
    options = [
        discord.SelectOption(
            label=f"{kd.names.get(c, c)} ({kd.counts.get(c, 0)})"[:MAX_LABEL], value=c
        )
        for c in shown
    ]
    placeholder = f"Read a {kind} section of {digest.date}"
    if len(cats) > MAX_OPTIONS:
        placeholder += f" ({start + 1}–{start + len(shown)} of {len(cats)})"
    if m == menus - 1 and start + len(shown) < len(cats):
        placeholder += "; type the rest: /aidigest show category:"
    return discord.ui.Select(custom_id=pick_id(kind, digest.date, m + 1), options=options,
                             placeholder=placeholder[:MAX_PLACEHOLDER])  # fmt: skip
