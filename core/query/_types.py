"""What a command asks for: the query types `parse` returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeAlias

from core.items import Kind


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
class SearchQuery:
    """Words to find in every published day, maybe within one kind and one category."""

    words: str
    kind: Kind | None = None
    category: str | None = None


@dataclass(frozen=True)
class QueryError:
    message: str


Query: TypeAlias = (
    ShowQuery
    | HelpQuery
    | DatesQuery
    | SubscribeQuery
    | UnsubscribeQuery
    | SubscriptionsQuery
    | SearchQuery
)
