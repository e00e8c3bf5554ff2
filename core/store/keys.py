"""Every Redis key of aidigest, built in one place (prefix DIGEST_KEY_PREFIX, `aidigest` by
default). Values are JSON unless said otherwise; PNGs are raw bytes.

Published days (core/store/writer.py writes them whole; every key of a day expires
DIGEST_RETENTION_DAYS after it was last published):
    {p}:digest:{date}:{lang}                 Digest metadata (its "sections" list left empty)
    {p}:section:{date}:{lang}:{kind}:{cat}   Section: summary parts, citations, sources
    {p}:chart:{date}:{kind}[:trend]          PNG: category distribution, 7-day trend
    {p}:day:{date}                           DayIndex: languages, charts, sections, counts
    {p}:items:{date}                         the day's every item, JSON Lines (core/item_list.py)
    {p}:dates                                sorted set: date -> when published (epoch)
    {p}:events                               stream: type=digest.ready date=… langs=…
What each digest took from each source (core/store/marks.py; core/watermark.py says why):
    {p}:mark:{source}                        JSON Mark: released up to when, ids seen (bounded)
    {p}:window:{date}                        hash: source -> JSON Take, the day's window and ids
    {p}:shown                                sorted set: item id -> day first shown (ordinal)
LLM answers (core/llm/cache.py):
    {p}:llm:{sha256}                         a validated answer (TTL)
Builds in flight (workers/builds.py; scratch expires):
    {p}:build:{date}                         BuildRecord: the one-build-per-day lock
    {p}:build:{date}:{token}:{part…}         jobs list, collected sources, plan, inputs,
                                             sections, charts, usage
Subscriptions and delivery (bot/common):
    {p}:sub:{sid}                            Subscription; sid = "{platform}:{team}:{channel}"
    {p}:subs:{platform}:{team}               set of the sids of a workspace or guild
    {p}:due:{platform}                       sorted set: sid -> next post time or lease end
    {p}:waiting:{platform}:{date}            hash: sid -> due score parked until date is ready
    {p}:posted:{sid}:{date}                  hash: part -> "pending" | "done:{ref}"; "_all";
                                             Discord: "{part}:first_try" -> epoch seconds
    {p}:deliveries:{platform}:{date}         hash: outcome -> count (for `aidigest status`)
    {p}:delivery_failures:{platform}         list: newest failed posts, {at, sub, date, error}
Search (core/search/; written when a day is published, read by the web, the bots, the CLI):
    {p}:search:post:{YYYY-MM}:{term}         packed postings of one term in one month
    {p}:search:docs:{date}                   hash: document number -> what a hit shows
    {p}:search:terms:{date}                  the terms a day wrote, one per line
    {p}:search:days                          hash: date -> {published, docs, avgdl}
    {p}:search:gen                           counter bumped by every change of the index
Slack installations (many workspaces, OAuth) and Discord command sync:
    {p}:slack:install:{ids}[:{user}]         Slack installation     ids = "{enterprise}:{team}"
    {p}:slack:bot:{ids}                      Slack bot installation
    {p}:slack:team:{team}                    -> ids
    {p}:slack:oauth_state:{state}            a pending OAuth state (TTL)
    {p}:discord:commands:{app}:{guild|global}  hash of the synced command definitions
    {p}:discord:notices:{guild}              list: newest first, {at, channel, text} for admins
"""

from __future__ import annotations

from dataclasses import dataclass


def sid_of(platform: str, team: str, channel: str) -> str:
    """A subscription's id: one subscription per channel."""
    return f"{platform}:{team}:{channel}"


@dataclass(frozen=True)
class Keys:
    prefix: str = "aidigest"

    # --- published days ---------------------------------------------------------------------

    def digest(self, day: str, lang: str) -> str:
        return f"{self.prefix}:digest:{day}:{lang}"

    def section(self, day: str, lang: str, kind: str, category: str) -> str:
        return f"{self.prefix}:section:{day}:{lang}:{kind}:{category}"

    def chart(self, day: str, name: str) -> str:
        """`name` is a kind, or "{kind}-trend" as built days name their charts."""
        return f"{self.prefix}:chart:{day}:{name.replace('-trend', ':trend')}"

    def day(self, day: str) -> str:
        return f"{self.prefix}:day:{day}"

    def items(self, day: str) -> str:
        return f"{self.prefix}:items:{day}"

    @property
    def dates(self) -> str:
        return f"{self.prefix}:dates"

    @property
    def events(self) -> str:
        return f"{self.prefix}:events"

    # --- what each digest took from each source ---------------------------------------------

    def mark(self, source: str) -> str:
        return f"{self.prefix}:mark:{source}"

    def window(self, day: str) -> str:
        return f"{self.prefix}:window:{day}"

    @property
    def shown(self) -> str:
        return f"{self.prefix}:shown"

    # --- LLM answers and builds -------------------------------------------------------------

    def llm(self, digest: str) -> str:
        return f"{self.prefix}:llm:{digest}"

    def build(self, day: str, token: str | None = None, *parts: str) -> str:
        return ":".join([f"{self.prefix}:build:{day}", *([token] if token else []), *parts])

    def build_pattern(self) -> str:
        """Matches every build record (not their scratch keys)."""
        return f"{self.prefix}:build:????-??-??"

    # --- search -----------------------------------------------------------------------------

    def search_postings(self, month: str, term: str) -> str:
        return f"{self.prefix}:search:post:{month}:{term}"

    def search_docs(self, day: str) -> str:
        return f"{self.prefix}:search:docs:{day}"

    def search_terms(self, day: str) -> str:
        return f"{self.prefix}:search:terms:{day}"

    @property
    def search_days(self) -> str:
        return f"{self.prefix}:search:days"

    @property
    def search_gen(self) -> str:
        return f"{self.prefix}:search:gen"

    # --- subscriptions and delivery ---------------------------------------------------------

    def sub(self, sid: str) -> str:
        return f"{self.prefix}:sub:{sid}"

    def team(self, platform: str, team: str) -> str:
        return f"{self.prefix}:subs:{platform}:{team}"

    def due(self, platform: str) -> str:
        return f"{self.prefix}:due:{platform}"

    def waiting(self, platform: str, day: str) -> str:
        return f"{self.prefix}:waiting:{platform}:{day}"

    def posted(self, sid: str, day: str) -> str:
        return f"{self.prefix}:posted:{sid}:{day}"

    def deliveries(self, platform: str, day: str) -> str:
        return f"{self.prefix}:deliveries:{platform}:{day}"

    def failures(self, platform: str) -> str:
        return f"{self.prefix}:delivery_failures:{platform}"

    # --- chat platforms ---------------------------------------------------------------------

    def slack(self, *parts: str) -> str:
        """Slack installations and OAuth states: slack:install:…, slack:bot:…, slack:team:…,
        slack:oauth_state:…"""
        return ":".join([f"{self.prefix}:slack", *parts])

    def discord_commands(self, application_id: int, guild: int | None = None) -> str:
        return f"{self.prefix}:discord:commands:{application_id}:{guild or 'global'}"

    def discord_notices(self, guild: str) -> str:
        return f"{self.prefix}:discord:notices:{guild}"
