"""The `/aidigest` grammar shared by the CLI, the Slack bot and the Discord bot.

`parse(text, taxonomy, today)` turns what a person typed into a Query, or a QueryError whose
message says what would work (always with an example starting "/aidigest "). It never raises.

    [show] [news|papers|all] [CATEGORY] [DATE] [share]     in any order
    help [TOPIC] | dates | subscriptions | unsubscribe [news|papers|all]
    search WORDS [news|papers] [CATEGORY]
    subscribe [news|papers|all] [CATEGORY...] [at HH:MM] [TZ] [ko|en]
"""

from __future__ import annotations

import datetime as dt

from core.help_text import usage
from core.query._search import parse_search
from core.query._show import parse_show
from core.query._subscribe import parse_subscribe, parse_unsubscribe
from core.query._types import (
    DatesQuery,
    HelpQuery,
    Query,
    QueryError,
    SearchQuery,
    ShowQuery,
    SubscribeQuery,
    SubscriptionsQuery,
    UnsubscribeQuery,
)
from core.query._words import COMMANDS, HELP_TOPICS, split_words
from core.taxonomy import Taxonomy

__all__ = [
    "DatesQuery",
    "HelpQuery",
    "Query",
    "QueryError",
    "SearchQuery",
    "ShowQuery",
    "SubscribeQuery",
    "SubscriptionsQuery",
    "UnsubscribeQuery",
    "parse",
    "usage",
]

MAX_CHARS = 500


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
    words = split_words(text)
    if words and words[0].lower() in ("/aidigest", "aidigest"):
        words = words[1:]
    if words and words[0].lower() == "show":  # the CLI's verb, harmless here
        words = words[1:]
    head = COMMANDS.get(words[0].lower()) if words else None
    if head is None:
        return parse_show(words, tx, today)
    rest = words[1:]
    if head == "help":
        topics = [HELP_TOPICS[w.lower()] for w in rest if w.lower() in HELP_TOPICS]
        return HelpQuery(topics[0] if topics else None)
    if head == "subscribe":
        return parse_subscribe(rest, tx, today)
    if head == "unsubscribe":
        return parse_unsubscribe(rest)
    if head == "search":
        return parse_search(rest, tx)
    if rest:
        return QueryError(f"'{head}' takes no other words. Try: `/aidigest {head}`")
    return DatesQuery() if head == "dates" else SubscriptionsQuery()
