"""The daily post in Slack: a header message carrying the charts, one thread reply per section.

The header is a file share (files_upload_v2 with the header blocks), the replies are
chat.postMessage in its thread, each paced per channel and sent through the Ledger. What finds
a part again after a crash or an ambiguous error: a reply carries message metadata with its part
id (conversations.replies shows it); the header's charts carry a title unique to the channel and
date (files.list + files.info give the share's ts).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.common.delivery import PermanentError
from bot.common.ledger import Ledger
from bot.common.subscription import Subscription
from bot.slack_bot.blocks import Block, fallback_text, header_blocks, pages, section_blocks
from bot.slack_bot.pacer import ChannelPacer
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

    def __init__(self, client: AsyncWebClient, token_for: TokenFor, pacer: ChannelPacer) -> None:
        self.client = client
        self.token_for = token_for
        self.pacer = pacer

    async def post_digest(
        self, sub: Subscription, digest: Digest, charts: Mapping[str, bytes], ledger: Ledger
    ) -> None:
        token = await self.token_for(sub.team)
        if token is None:
            raise PermanentError(f"no bot token for team {sub.team}")
        ch, uid = sub.channel, f"{sub.sid}|{digest.date}"
        files = _files(digest, charts)
        try:
            head = await ledger.once(
                "header",
                lambda: self._header(token, ch, digest, files, f"{uid}|header"),
                find=lambda: self._find_header(token, ch, files, f"{uid}|header"),
                transient=is_transient,
            )
            for s in digest.sections:
                for i, page in enumerate(pages(section_blocks(s))):
                    part = f"{s.kind}:{s.category}:{i}"
                    await ledger.once(
                        part,
                        _bind(self._reply, token, ch, head, page, f"{uid}|{part}"),
                        find=_bind(self._find_reply, token, ch, head, f"{uid}|{part}"),
                        transient=is_transient,
                    )
        except SlackApiError as e:
            if e.response.get("error") in PERMANENT:
                raise PermanentError(str(e.response.get("error"))) from e
            raise

    async def _header(
        self, token: str, ch: str, digest: Digest, files: list[dict[str, Any]], uid: str
    ) -> str:
        blocks = header_blocks(digest)
        if not files:
            return await self._post(token, ch, blocks, uid)
        try:
            done = await self._share(token, ch, files, blocks)
        except SlackApiError as e:
            if e.response.get("error") != "not_in_channel":
                raise
            await self._join(token, ch)  # posts need no membership (chat:write.public), files do
            done = await self._share(token, ch, files, blocks)
        shared = done.get("files") or []
        return _share_ts(shared, ch) or await self._share_ts(token, ch, [f["id"] for f in shared])

    async def _share(
        self, token: str, ch: str, files: list[dict[str, Any]], blocks: list[Block]
    ) -> AsyncSlackResponse:
        async with self.pacer.slot(ch):
            return await self.client.files_upload_v2(
                token=token, channel=ch, file_uploads=files, blocks=json.dumps(blocks)
            )

    async def _join(self, token: str, ch: str) -> None:
        try:
            await self.client.conversations_join(token=token, channel=ch)
        except SlackApiError as e:  # a private channel: only an invitation lets the bot in
            raise PermanentError(
                f"not_in_channel ({e.response.get('error')}): invite the bot"
            ) from e

    async def _share_ts(self, token: str, ch: str, ids: list[str]) -> str:
        """Slack shares an uploaded file asynchronously: ask until the share shows."""
        for delay in (0.0, 0.5, 1.0, 2.0, 4.0):
            await asyncio.sleep(delay)
            for fid in ids[:1]:
                info = await self.client.files_info(token=token, file=fid)
                if ts := _share_ts([info["file"]], ch):
                    return ts
        raise RuntimeError("the charts were shared but Slack has not said where yet")

    async def _find_header(
        self, token: str, ch: str, files: list[dict[str, Any]], uid: str
    ) -> str | None:
        if not files:
            return await self._find_meta(token, ch, None, uid)
        listed = await self.client.files_list(token=token, channel=ch, types="images", count=100)
        for f in listed.get("files") or []:
            if f.get("title") == files[0]["title"]:
                info = await self.client.files_info(token=token, file=f["id"])
                return _share_ts([info["file"]], ch)
        return None

    async def _reply(self, token: str, ch: str, thread: str, blocks: list[Block], uid: str) -> str:
        return await self._post(token, ch, blocks, uid, thread)

    async def _find_reply(self, token: str, ch: str, thread: str, uid: str) -> str | None:
        return await self._find_meta(token, ch, thread, uid)

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

    async def _find_meta(self, token: str, ch: str, thread: str | None, uid: str) -> str | None:
        if thread:
            resp = await self.client.conversations_replies(
                token=token, channel=ch, ts=thread, include_all_metadata=True, limit=200
            )
        else:
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


def _files(digest: Digest, charts: Mapping[str, bytes]) -> list[dict[str, Any]]:
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


def _share_ts(files: list[dict[str, Any]], ch: str) -> str | None:
    for f in files:
        for where in ("public", "private"):
            shares = (f.get("shares") or {}).get(where) or {}
            if shares.get(ch):
                return str(shares[ch][0]["ts"])
    return None


def _bind(fn: Callable[..., Awaitable[Any]], *args: Any) -> Callable[[], Awaitable[Any]]:
    """A thunk with its arguments fixed now (a lambda in a loop would see the last ones)."""
    return lambda: fn(*args)
