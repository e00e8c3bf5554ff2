"""The ids and values of our buttons, menus and modals, versioned and checked.

Every action_id and callback_id starts with "aidigest.v1."; buttons that share a block get a
suffix (Slack wants action_ids unique in a block: "aidigest.v1.open.llm"), so a listener
matches the base id (`matching`). A value says what to show:
"{kind}|{category}|{date}|{lang}" for a section (category "*" for a kind's overview). Slack sends
back whatever a message once held, so what comes back is parsed as untrusted: an id of another
version, or a value that is not one of ours, is refused politely (`Target.parse` gives None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core.items import KINDS

PREFIX = "aidigest.v1."
OPEN = PREFIX + "open"  # a category's section (from an overview, or a day's buttons)
DAY = PREFIX + "day"  # the same section on the day before or after
OVERVIEW = PREFIX + "overview"  # back to a kind's overview
HOME_ADD = PREFIX + "home.add"  # Home tab: open the "add a daily post" modal
HOME_SUB = PREFIX + "home.sub"  # Home tab: a subscription's menu (edit, remove)
SUBSCRIPTION = PREFIX + "subscription"  # callback_id of the add/edit modal
REMOVE = PREFIX + "remove"  # callback_id of the "stop this daily post" modal
SECTION = PREFIX + "section"  # callback_id of a section shown in a modal (from the Home tab)
ALL = "*"  # "every category": a kind's overview
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,47}\Z")
_LANG = re.compile(r"[a-z]{2}\Z")


@dataclass(frozen=True)
class Target:
    """What a button shows: a kind's section of a category (or its overview) on a date."""

    kind: str
    category: str  # a category id, or ALL
    day: str  # YYYY-MM-DD
    lang: str

    @property
    def overview(self) -> bool:
        return self.category == ALL

    def value(self) -> str:
        return f"{self.kind}|{self.category}|{self.day}|{self.lang}"

    def on(self, day: str) -> Target:
        return Target(self.kind, self.category, day, self.lang)

    @classmethod
    def parse(cls, value: object) -> Target | None:
        """A value one of our buttons carried, or None for anything else."""
        if not isinstance(value, str) or len(value) > 100:
            return None
        parts = value.split("|")
        if len(parts) != 4:
            return None
        kind, category, day, lang = parts
        if kind not in KINDS or not (category == ALL or _SLUG.match(category)):
            return None
        if not _LANG.match(lang) or not _is_date(day):
            return None
        return cls(kind, category, day, lang)


def suffixed(base: str, suffix: str) -> str:
    return f"{base}.{suffix}"[:255]


def matching(base: str) -> re.Pattern[str]:
    """The action_ids of `base`, with or without a suffix."""
    return re.compile(re.escape(base) + r"(\.[\w-]{1,60})?\Z")


def _is_date(text: str) -> bool:
    try:
        return date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def sub_menu_value(verb: str, channel: str) -> str:
    """A Home tab subscription menu option: "edit|C123" or "remove|C123"."""
    return f"{verb}|{channel}"


def parse_sub_menu(value: object) -> tuple[str, str] | None:
    if not isinstance(value, str):
        return None
    verb, _, channel = value.partition("|")
    if verb not in ("edit", "remove") or not re.fullmatch(r"[CDG][A-Z0-9]{1,30}", channel):
        return None
    return verb, channel
