"""A channel's daily post: which kinds and categories, when (local time and zone), in which
language, and who set it up. One subscription per channel; `subscribe` merges into it.

`categories` holds "kind:category" ids; a subscribed kind with none listed gets every section.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel

from core.digest import Digest
from core.items import KINDS, Kind
from core.localtime import parse_hhmm
from core.query import SubscribeQuery, UnsubscribeQuery
from core.store.keys import sid_of


@dataclass(frozen=True)
class Defaults:
    """What a subscription gets when neither the command nor the channel says."""

    time: str = "09:00"  # after the daily build (DIGEST_BUILD_TIME, 07:00) has had time
    tz: str = "Asia/Seoul"
    lang: str = "ko"


class Subscription(BaseModel):
    platform: str  # "slack" | "discord"
    team: str  # Slack workspace id or Discord guild id
    channel: str
    kinds: list[Kind]
    categories: list[str] = []  # "kind:category"; none of a kind = all of that kind
    time: str  # HH:MM, local
    tz: str  # IANA name
    lang: str  # ko | en
    created_by: str
    created_at: str  # ISO 8601
    updated_at: str = ""

    @property
    def sid(self) -> str:
        return sid_of(self.platform, self.team, self.channel)

    @property
    def post_time(self) -> dt.time:
        return parse_hhmm(self.time)

    def categories_of(self, kind: Kind) -> list[str]:
        return [c.split(":", 1)[1] for c in self.categories if c.startswith(kind + ":")]

    def wants(self, kind: str, category: str) -> bool:
        if kind not in self.kinds:
            return False
        mine = [c.split(":", 1)[1] for c in self.categories if c.startswith(kind + ":")]
        return not mine or category in mine

    def select(self, digest: Digest) -> Digest:
        """The digest with only this subscription's kinds and sections."""
        kinds = {k: kd for k, kd in digest.kinds.items() if k in self.kinds}
        sections = [s for s in digest.sections if self.wants(s.kind, s.category)]
        return digest.model_copy(update={"kinds": kinds, "sections": sections})


def merge(
    old: Subscription | None,
    q: SubscribeQuery,
    *,
    platform: str,
    team: str,
    channel: str,
    user: str,
    defaults: Defaults,
    now: dt.datetime,
) -> Subscription:
    """`old` changed by a subscribe command: the kinds it names are replaced (with its
    categories of that kind, none = all), other kinds are kept; unnamed settings are kept."""
    named: tuple[Kind, ...] = q.kinds or KINDS
    kinds = [k for k in KINDS if k in named or (old is not None and k in old.kinds)]
    cats = [c for c in (old.categories if old else []) if c.split(":", 1)[0] not in named]
    cats += [f"{k}:{c}" for k, c in q.categories if k in named]
    stamp = now.isoformat()
    return Subscription(
        platform=platform,
        team=team,
        channel=channel,
        kinds=kinds,
        categories=list(dict.fromkeys(cats)),
        time=q.time.strftime("%H:%M") if q.time else (old.time if old else defaults.time),
        tz=q.tz or (old.tz if old else defaults.tz),
        lang=q.lang or (old.lang if old else defaults.lang),
        created_by=old.created_by if old else user,
        created_at=old.created_at if old else stamp,
        updated_at=stamp,
    )


def without(old: Subscription, q: UnsubscribeQuery) -> Subscription | None:
    """`old` after an unsubscribe command; None when nothing is left."""
    gone = set(q.kinds or KINDS)
    kinds = [k for k in old.kinds if k not in gone]
    if not kinds:
        return None
    cats = [c for c in old.categories if c.split(":", 1)[0] not in gone]
    return old.model_copy(update={"kinds": kinds, "categories": cats})
