"""The grammar's vocabulary (kind, command, date, language words), how a command splits into
words, how a typed word is echoed safely, and the context errors use to suggest a fix."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core.items import Kind
from core.taxonomy import Category

KIND_WORDS: dict[str, Kind | None] = {  # None: all kinds
    "news": "news", "뉴스": "news", "papers": "papers", "paper": "papers", "논문": "papers",
    "all": None, "전체": None,
}  # fmt: skip
COMMANDS = {
    "help": "help", "?": "help", "-h": "help", "--help": "help", "도움말": "help",
    "dates": "dates", "subscribe": "subscribe", "unsubscribe": "unsubscribe",
    "subscriptions": "subscriptions", "search": "search", "검색": "search", "find": "search",
}  # fmt: skip
HELP_TOPICS = {
    "show": "show", "share": "show", **{w: "show" for w in KIND_WORDS},
    "date": "dates", "dates": "dates", "날짜": "dates",
    "category": "categories", "categories": "categories", "카테고리": "categories",
    "subscribe": "subscribe", "unsubscribe": "subscribe", "subscriptions": "subscribe",
    "구독": "subscribe",
}  # fmt: skip
DATE_WORDS = {"today": 0, "오늘": 0, "yesterday": 1, "어제": 1}
LANGS = {"ko": "ko", "kr": "ko", "korean": "ko", "한국어": "ko", "en": "en", "english": "en"}
YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", re.ASCII)
AGO = re.compile(r"-(\d{1,9})", re.ASCII)
DATEISH = re.compile(r"[-+]?\d+([-/.]\d+)*", re.ASCII)
CLOCK = re.compile(r"(\d{1,2}):(\d{2})", re.ASCII)
HOUR = re.compile(r"(\d{1,2})()", re.ASCII)
OFFSET = re.compile(r"(?:utc|gmt)([+-])(\d{1,2})(?::?00)?", re.ASCII)
UNSAFE = str.maketrans("", "", "<>@`*~|\\")  # mentions and markdown, when echoing words


@dataclass(frozen=True)
class Context:
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
class Problem:
    build: Callable[[Context], str]  # called with the context once everything else is parsed


@dataclass(frozen=True)
class Hit:
    words: str
    cats: tuple[Category, ...]  # one id, one entry per kind that has it


def split_words(text: str) -> list[str]:
    # Slack escapes &, < and > in slash command text; control and format characters
    # (zero-width spaces from copy-paste) separate words.
    text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    text = unicodedata.normalize("NFKC", blank_controls(text))  # full-width digits → ASCII
    return re.split(r"[\s,]+", blank_controls(text).strip()) if text.strip() else []


def blank_controls(text: str) -> str:
    if text.isprintable():  # no character of category C (nor other whitespace than " ")
        return text
    return "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)


def shown(word: str) -> str:
    """A typed word safe to echo: no mentions or markdown, not too long."""
    w = word.translate(UNSAFE)
    return (w[:30] + "…" if len(w) > 30 else w) or "that"


def norm(s: str) -> str:
    return " ".join(s.lower().replace("_", " ").replace("-", " ").split())


def not_first(word: str) -> Problem:
    cmd = COMMANDS[word.lower()]
    return Problem(lambda c: f"'{cmd}' is a command of its own; put it first: `/aidigest {cmd}`")


def one_of(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
