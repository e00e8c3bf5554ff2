"""The daily post in Slack: a header message carrying the charts, one thread reply per section.

The header (date, counts, text charts, a link to the full digest) is a post showing the web
archive's chart images when DIGEST_PUBLIC_URL is set (nothing to upload), else a file share of
the charts with the header blocks (bot/slack_bot/shares.py); each section links its web page. The
replies are chat.postMessage in its thread, each paced per
channel and sent through the Ledger. What finds a part again after a crash or an ambiguous
error: the charts' file ids are a ledger part of their own (files.info then gives the share's
ts); a post carries message metadata with its part id (conversations.history/replies show it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.common.delivery import PermanentError
from bot.common.ledger import Ledger
from bot.common.subscription import Subscription
from bot.slack_bot.blocks import Block, fallback_text, pages, section_blocks
from bot.slack_bot.overview import post_header
from bot.slack_bot.pacer import ChannelPacer
from bot.slack_bot.shares import SHARE_WAITS, Chart, ChartShares, explain
from bot.slack_bot.tiers import TierPacer
from bot.slack_bot.web_links import WebLinks
from core.digest import Digest
from core.headings import label

TokenFor = Callable[[str], Awaitable[str | None]]  # team id -> bot token
EVENT_TYPE = "aidigest_post"
PERMANENT = {
    "channel_not_found",
    "is_archived",
    "account_inactive",
    "invalid_auth",
    "token_revoked",
    "not_authed",
    "missing_scope",
    "restricted_action",
    "team_access_not_granted",
    "not_in_channel",
}


def is_transient(e: BaseException) -> bool:
    """An error after which the message may or may not be posted, and trying again may help."""
    if isinstance(e, SlackApiError):
        status = int(e.response.status_code)
        return status >= 500 or status == 429
    return isinstance(e, aiohttp.ClientError | asyncio.TimeoutError)


class SlackPoster:
    platform = "slack"

    def __init__(
        self,
        client: AsyncWebClient,
        token_for: TokenFor,
        pacer: ChannelPacer,
        tiers: TierPacer | None = None,
        links: WebLinks | None = None,
    ) -> None:
        self.client = client
        self.links = links or WebLinks()
        self.token_for = token_for
        self.pacer = pacer
        self.tiers = tiers or TierPacer()
        self.shares = ChartShares(client, pacer, self.tiers)

    async def post_digest(
        self, sub: Subscription, digest: Digest, charts: Mapping[str, bytes], ledger: Ledger
    ) -> None:
        token = await self.token_for(sub.team)
        if token is None:
            raise PermanentError(f"no bot token for team {sub.team}")
        ch, team, uid = sub.channel, sub.team, f"{sub.sid}|{digest.date}"
        try:
            files = [] if self.links.base else _files(digest, charts)  # else image blocks
            head = await self._header(token, team, ch, digest, files, ledger, uid)
            for s in digest.sections:
                for i, page in enumerate(pages(section_blocks(s, self.links.section(s)))):
                    part = f"{s.kind}:{s.category}:{i}"
                    await ledger.once(
                        part,
                        _bind(self._reply, token, ch, head, page, f"{uid}|{part}"),
                        find=_bind(self._find_meta, token, team, ch, head, f"{uid}|{part}"),
                        transient=is_transient,
                    )
        except SlackApiError as e:
            error = str(e.response.get("error"))
            if error in PERMANENT:
                raise PermanentError(explain(error)) from e
            raise

    async def _header(
        self,
        token: str,
        team: str,
        ch: str,
        digest: Digest,
        files: list[Chart],
        ledger: Ledger,
        uid: str,
    ) -> str:
        """The header message's ts: a post (showing the web archive's charts when there is
        one), or with charts to upload a file share (see shares.py)."""
        blocks = post_header(digest, self.links, uploads=bool(files))
        if not files:
            return await ledger.once(
                "header",
                _bind(self._post, token, ch, blocks, f"{uid}|header"),
                find=_bind(self._find_meta, token, team, ch, None, f"{uid}|header"),
                transient=is_transient,
            )
        shares = self.shares
        uploaded = await ledger.once(
            "charts", _bind(shares.upload, token, team, files), transient=is_transient
        )
        ids = uploaded.split(",")
        return await ledger.once(
            "header",
            _bind(shares.share, token, team, ch, ids, files, blocks),
            find=_bind(shares.share_ts, token, team, ch, ids, SHARE_WAITS),
            transient=is_transient,
        )

    async def _reply(self, token: str, ch: str, thread: str, blocks: list[Block], uid: str) -> str:
        return await self._post(token, ch, blocks, uid, thread)

    async def _post(
        self, token: str, ch: str, blocks: list[Block], uid: str, thread: str | None = None
    ) -> str:
        async with self.pacer.slot(ch):
            resp = await self.client.chat_postMessage(
                token=token,
                channel=ch,
                thread_ts=thread,
                blocks=blocks,
                text=fallback_text(blocks),
                metadata={"event_type": EVENT_TYPE, "event_payload": {"uid": uid}},
                unfurl_links=False,
                unfurl_media=False,
            )
        return str(resp["ts"])

    async def _find_meta(
        self, token: str, team: str, ch: str, thread: str | None, uid: str
    ) -> str | None:
        """The ts of the message carrying `uid` in its metadata, in the thread or channel."""
        if thread:
            async with self.tiers.slot(team, "conversations.replies"):
                resp = await self.client.conversations_replies(
                    token=token, channel=ch, ts=thread, include_all_metadata=True, limit=200
                )
        else:
            async with self.tiers.slot(team, "conversations.history"):
                resp = await self.client.conversations_history(
                    token=token, channel=ch, include_all_metadata=True, limit=100
                )
        for m in resp.get("messages") or []:
            meta = m.get("metadata") or {}
            if (
                meta.get("event_type") == EVENT_TYPE
                and meta.get("event_payload", {}).get("uid") == uid
            ):
                return str(m["ts"])
        return None


def _files(digest: Digest, charts: Mapping[str, bytes]) -> list[Chart]:
    """The distribution chart of each kind, titled uniquely for this channel and date."""
    out = []
    for kind in digest.kinds:
        if png := charts.get(kind):
            title = f"{label(digest.lang, kind)} · {label(digest.lang, 'chart')} · {digest.date}"
            out.append(
                {
                    "content": png,
                    "filename": f"aidigest-{digest.date}-{kind}.png",
                    "title": title,
                    "alt_txt": title,
                }
            )
    return out


def _bind(fn: Callable[..., Awaitable[Any]], *args: Any) -> Callable[[], Awaitable[Any]]:
    """A thunk with its arguments fixed now (a lambda in a loop would see the last ones)."""
    return lambda: fn(*args)
