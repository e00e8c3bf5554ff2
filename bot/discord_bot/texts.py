"""Words of the Discord front-end: help with slash-command syntax, and the shared grammar's
examples rewritten as the slash commands a Discord user can actually type.

The shared commands (bot/common, core/query.py) answer with text-grammar examples such as
`/aidigest papers LLM 2024-10-04`; on Discord that is `/aidigest show kind:papers category:LLM
date:2024-10-04`. `slashify` parses each example with the same grammar and writes it back.
"""

from __future__ import annotations

import re
from datetime import date

from core.help_text import category_list
from core.query import (
    DatesQuery,
    HelpQuery,
    ShowQuery,
    SubscribeQuery,
    SubscriptionsQuery,
    UnsubscribeQuery,
    parse,
)
from core.taxonomy import Taxonomy

_EXAMPLE = re.compile(r"`(/aidigest\b[^`]*)`")

HELP_EN = """\
**/aidigest show** `kind` `category` `date` `share` — a section or the overview of a day
  `/aidigest show` — the newest day's overview, with its charts
  `/aidigest show kind:papers category:LLM date:2024-10-04` — one section
  `/aidigest show category:cv` — a category of both kinds
**/aidigest dates** — the days that are ready
**/aidigest subscribe** `channel` `kinds` `categories` `time` `timezone` `language` — a daily post
  `/aidigest subscribe kinds:papers categories:LLM, cv time:08:30 timezone:Asia/Seoul language:en`
**/aidigest unsubscribe** `channel` `kinds` · **/aidigest subscriptions** — what this server gets
Changing subscriptions needs the **Manage Server** permission. Dates: YYYY-MM-DD, today, \
yesterday or -N. Answers are only shown to you unless you set `share:True`."""

HELP_KO = """\
**/aidigest show** `kind` `category` `date` `share` — 하루의 섹션 또는 개요
  `/aidigest show` — 가장 최근 날의 개요와 차트
  `/aidigest show kind:papers category:LLM date:2024-10-04` — 한 섹션
  `/aidigest show category:cv` — 두 종류 모두의 한 카테고리
**/aidigest dates** — 준비된 날짜 목록
**/aidigest subscribe** `channel` `kinds` `categories` `time` `timezone` `language` — 매일 게시
  `/aidigest subscribe kinds:papers categories:LLM, cv time:08:30 timezone:Asia/Seoul language:ko`
**/aidigest unsubscribe** `channel` `kinds` · **/aidigest subscriptions** — 이 서버의 구독 목록
구독을 바꾸려면 **서버 관리** 권한이 필요합니다. 날짜: YYYY-MM-DD, today, yesterday 또는 -N. \
`share:True`를 주지 않으면 답은 나에게만 보입니다."""


def help_text(lang: str, taxonomy: Taxonomy, topic: str | None = None) -> str:
    body = HELP_KO if lang.startswith("ko") else HELP_EN
    if topic in (None, "categories"):
        body += "\n\n" + category_list(taxonomy)
    return body


def slashify(message: str, taxonomy: Taxonomy, today: date) -> str:
    """Rewrite every `/aidigest ...` example of `message` in slash-command syntax."""
    return _EXAMPLE.sub(lambda m: f"`{_slash(m.group(1), taxonomy, today) or m.group(1)}`", message)


def _slash(text: str, taxonomy: Taxonomy, today: date) -> str | None:
    q = parse(text, taxonomy, today)
    if isinstance(q, ShowQuery):
        words = ["/aidigest show"]
        if len(q.kinds) == 1:
            words.append(f"kind:{q.kinds[0]}")
        if q.category:
            kind = q.kinds[0] if len(q.kinds) == 1 else None
            words.append(f"category:{_name(taxonomy, q.category, kind)}")
        if q.date:
            words.append(f"date:{q.date.isoformat()}")
        if q.share:
            words.append("share:True")
        return " ".join(words)
    if isinstance(q, SubscribeQuery):
        words = ["/aidigest subscribe"]
        if len(q.kinds) == 1:
            words.append(f"kinds:{q.kinds[0]}")
        if q.categories:
            names = (taxonomy.name(k, c) for k, c in q.categories)
            words.append("categories:" + ", ".join(dict.fromkeys(names)))
        if q.time:
            words.append(f"time:{q.time:%H:%M}")
        if q.tz:
            words.append(f"timezone:{q.tz}")
        if q.lang:
            words.append(f"language:{q.lang}")
        return " ".join(words)
    if isinstance(q, UnsubscribeQuery):
        return "/aidigest unsubscribe" + (f" kinds:{q.kinds[0]}" if q.kinds else "")
    if isinstance(q, HelpQuery):
        return "/aidigest help" + (f" topic:{q.topic}" if q.topic else "")
    if isinstance(q, DatesQuery):
        return "/aidigest dates"
    if isinstance(q, SubscriptionsQuery):
        return "/aidigest subscriptions"
    return None


def _name(taxonomy: Taxonomy, category: str, kind: str | None) -> str:
    for k in (kind,) if kind else ("papers", "news"):
        for c in taxonomy.sections(k):  # type: ignore[arg-type]
            if c.id == category:
                return c.name
    return category
