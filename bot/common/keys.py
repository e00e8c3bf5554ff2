"""Redis keys of subscriptions and delivery (the built days' keys belong to core.store).

{p}:sub:{sid}                  JSON Subscription; sid = "{platform}:{team}:{channel}"
{p}:subs:{platform}:{team}     set of the sids of one workspace or guild (listing, uninstall)
{p}:due:{platform}             sorted set: sid -> next post time, or lease end while claimed
{p}:waiting:{platform}:{date}  hash: sid -> the due score it was parked at until date is ready
{p}:posted:{sid}:{date}        hash: message part -> "pending" | "done:{ref}"; field "_all"
                               once the whole post is done (each field set NX, key with TTL)
{p}:deliveries:{platform}:{date}  hash: outcome (posted, retry, skipped, …) -> count (TTL)
{p}:delivery_failures:{platform}  list: the newest failed posts, JSON {at, sub, date, error}
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Keys:
    prefix: str = "aidigest"

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


def sid_of(platform: str, team: str, channel: str) -> str:
    """A subscription's id: one subscription per channel."""
    return f"{platform}:{team}:{channel}"
