"""`/aidigest` for both bots: command text in, a platform-neutral Reply out. Never raises on
what a user typed; every refusal says what would work. Reads Redis only (no LLM, no build)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.common.subscription import Defaults, Subscription, merge
from bot.common.subscription_store import Subscriptions
from core.help_text import category_list, usage
from core.localtime import Clock, next_after, today_in
from core.lookup import Found, NotFound, lookup, try_cmd
from core.query import (
    DatesQuery,
    HelpQuery,
    QueryError,
    SearchQuery,
    ShowQuery,
    SubscribeQuery,
    SubscriptionsQuery,
    UnsubscribeQuery,
    parse,
)
from core.search import Filters, SearchReader
from core.search.answer import hits_text
from core.store.async_reader import AsyncDayReader
from core.store.keys import sid_of
from core.taxonomy import Taxonomy

log = logging.getLogger(__name__)
SEARCH_HITS = 5  # hits in a chat answer: the web's search page has them all
OOPS = f"Sorry, something went wrong on my side; nothing changed. Try again, or {try_cmd('help')}"


@dataclass(frozen=True)
class Caller:
    platform: str
    team: str  # workspace or guild
    channel: str
    user: str
    may_manage: Callable[[], Awaitable[bool]]  # may this user change subscriptions here?
    managers: str = "admins"  # who may, for the refusal ("workspace admins and owners")


@dataclass(frozen=True)
class Reply:
    text: str = ""  # plain text (help, confirmations, refusals, search hits: their titles
    # made plain by core.search.answer); no other feed text goes here
    found: Found | None = None  # sections or an overview to render
    share: bool = False  # post in the channel, not only to the caller
    ok: bool = True
    pre: bool = False  # `text` is laid out in columns (help): show it preformatted
    cacheable: bool = False  # depends only on the text, the date and published days


class Commands:
    def __init__(
        self,
        taxonomy: Taxonomy,
        reader: AsyncDayReader,
        subs: Subscriptions,
        clock: Clock,
        defaults: Defaults,
        tz: str,
        *,
        public_url: str = "",
        search: SearchReader | None = None,
    ) -> None:
        self.taxonomy, self.reader, self.subs, self.clock = taxonomy, reader, subs, clock
        self.defaults = defaults  # what a new subscription gets
        self.tz = tz  # DIGEST_TIMEZONE: what "today" and "-1" mean in a command
        self.public_url = public_url  # DIGEST_PUBLIC_URL: search hits link to their pages
        retention = max(1, reader.ttl // 86400)
        self.search = search or SearchReader(reader.redis, reader.keys, retention)

    async def handle(self, text: str, caller: Caller) -> Reply:
        try:
            return await self._handle(text, caller)
        except Exception:
            log.exception("command failed", extra={"platform": caller.platform})
            return Reply(OOPS, ok=False)

    def today(self) -> date:
        """Today in the digest's time zone: what relative dates in a command mean."""
        return today_in(self.tz, self.clock.now())

    async def _handle(self, text: str, caller: Caller) -> Reply:
        now = self.clock.now()
        q = parse(text, self.taxonomy, today_in(self.tz, now))
        if isinstance(q, QueryError):
            return Reply(q.message, ok=False, cacheable=True)
        if isinstance(q, HelpQuery):
            body = usage(self.defaults.lang, q.topic, self.taxonomy)
            if q.topic is None:
                body += "\n" + category_list(self.taxonomy)
            return Reply(body, pre=True, cacheable=True)
        if isinstance(q, DatesQuery):
            dates = await self.reader.dates()
            if not dates:
                return Reply(f"No day is ready yet. Try later: {try_cmd('dates')}", ok=False)
            more = f" (and {len(dates) - 30} older)" if len(dates) > 30 else ""
            listed = "\n".join(dates[:30])
            return Reply(f"Ready days, newest first{more}:\n{listed}", cacheable=True)
        if isinstance(q, SearchQuery):
            lang = self.defaults.lang  # summaries in the bot's language; items in any
            wanted = Filters(kind=q.kind, category=q.category, lang=lang)
            page = await self.search.search(q.words, wanted, per_page=SEARCH_HITS)
            body = hits_text(page, base_url=self.public_url, lang=lang, default_lang=lang)
            return Reply(body, ok=bool(page.hits))  # not cached: the index follows publishes
        if isinstance(q, ShowQuery):
            got = await lookup(q, self.reader, self.defaults.lang)
            if isinstance(got, NotFound):
                return Reply(got.message, ok=False)  # may be "not yet": not cached
            return Reply(found=got, share=q.share, cacheable=True)
        sid = sid_of(caller.platform, caller.team, caller.channel)
        old = await self.subs.get(sid)
        if isinstance(q, SubscriptionsQuery):
            if old is None:
                return Reply(f"This channel has no daily post. Try: {try_cmd('subscribe')}")
            return Reply("This channel gets: " + self.describe(old, now))
        if not await caller.may_manage():
            return Reply(
                f"Only {caller.managers} can change this channel's daily post. Ask one of them, "
                f"or see what it gets with {try_cmd('subscriptions')}",
                ok=False,
            )
        if isinstance(q, SubscribeQuery):
            sub = merge(
                old,
                q,
                platform=caller.platform,
                team=caller.team,
                channel=caller.channel,
                user=caller.user,
                defaults=self.defaults,
                now=now,
            )
            await self.subs.save(sub, now=now.timestamp())
            verb = "Updated" if old else "Subscribed"
            return Reply(
                f"{verb}. This channel gets: {self.describe(sub, now)}\n"
                f"Stop with {try_cmd('unsubscribe')}"
            )
        assert isinstance(q, UnsubscribeQuery)
        if old is None:
            return Reply(
                f"This channel has no daily post to stop. Try: {try_cmd('subscriptions')}", ok=False
            )
        left = await self.subs.apply_unsubscribe(old, q, now=now.timestamp())
        if left is None:
            return Reply(f"Unsubscribed: no more daily posts here. Resume: {try_cmd('subscribe')}")
        return Reply(
            "Unsubscribed from "
            + "/".join(q.kinds)
            + ". This channel still gets: "
            + self.describe(left, now)
        )

    def describe(self, sub: Subscription, now: datetime) -> str:
        parts = []
        for kind in sub.kinds:
            cats = sub.categories_of(kind)
            names = ", ".join(self.taxonomy.name(kind, c) for c in cats) if cats else "all"
            parts.append(f"{kind} ({names})")
        nxt = next_after(sub.post_time, sub.tz, now.astimezone(UTC)).astimezone(ZoneInfo(sub.tz))
        lang = {"ko": "Korean", "en": "English"}.get(sub.lang, sub.lang)
        return (
            f"{' + '.join(parts)}, daily at {sub.time} {sub.tz}, in {lang}. "
            f"Next post: {nxt:%Y-%m-%d %H:%M %Z}."
        )
