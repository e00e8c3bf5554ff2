"""The daily post's header as a file share: the charts, uploaded once, shared into the channel
with the header blocks; the share's ts is the thread's parent.

Slack's upload has three steps (files.getUploadURLExternal, a POST of the bytes, files.
completeUploadExternal) and shares the completed files asynchronously: the completion answers
before the share exists, so its ts comes from files.info, asked until it shows (`share_ts`).

Nothing is uploaded twice or left behind: the poster records the uploaded file ids (a ledger
part) before completing them, so a retry or a restart completes the same files; when the bot is
not in a public channel it joins and completes the same files again; when the channel refuses
them (private without the bot, archived, gone) the files are deleted before the post is skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Sequence
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.common.delivery import PermanentError
from bot.slack_bot.limits import Block
from bot.slack_bot.pacer import ChannelPacer
from bot.slack_bot.tiers import TierPacer

Chart = dict[str, Any]  # {"content": bytes, "filename", "title", "alt_txt"}
# Seconds before each files.info ask (8 s in all): the share usually shows within the first.
SHARE_WAITS = (0.5, 0.5, 1.0, 2.0, 4.0)
REFUSING = {"channel_not_found", "is_archived", "restricted_action", "posting_to_channel_denied"}


class ChartShares:
    def __init__(self, client: AsyncWebClient, pacer: ChannelPacer, tiers: TierPacer) -> None:
        self.client = client
        self.pacer = pacer
        self.tiers = tiers

    async def upload(self, token: str, team: str, charts: Sequence[Chart]) -> str:
        """Upload the charts (not shared anywhere yet); their file ids, comma-separated."""
        ids = []
        for c in charts:
            async with self.tiers.slot(team, "files.getUploadURLExternal"):
                got = await self.client.files_getUploadURLExternal(
                    token=token,
                    filename=c["filename"],
                    length=len(c["content"]),
                    alt_txt=c["alt_txt"],
                )
            await self._put(str(got["upload_url"]), c["content"])
            ids.append(str(got["file_id"]))
        return ",".join(ids)

    async def _put(self, url: str, data: bytes) -> None:
        session = self.client.session
        own = session is None
        http = aiohttp.ClientSession() if own else session
        assert http is not None
        try:
            timeout = aiohttp.ClientTimeout(total=self.client.timeout)
            async with http.post(url, data=data, timeout=timeout) as r:
                if r.status != 200:
                    raise aiohttp.ClientResponseError(
                        r.request_info, (), status=r.status, message="upload refused"
                    )
        finally:
            if own:
                await http.close()

    async def share(
        self,
        token: str,
        team: str,
        ch: str,
        ids: list[str],
        charts: Sequence[Chart],
        blocks: list[Block],
    ) -> str:
        """Complete the uploaded files into `ch` with `blocks`; the share's ts."""
        files: list[dict[str, str | None]] = [
            {"id": i, "title": c["title"]} for i, c in zip(ids, charts, strict=True)
        ]
        try:
            await self._complete(token, team, ch, files, blocks)
        except SlackApiError as e:
            error = e.response.get("error")
            if error == "not_in_channel":
                await self._join(token, team, ch, ids)  # posts need no membership, shares do
                await self._complete(token, team, ch, files, blocks)
            elif error in REFUSING:
                await self.delete(token, team, ids)
                raise PermanentError(explain(str(error))) from e
            else:
                raise
        return await self.share_ts(token, team, ch, ids, SHARE_WAITS) or _no_share()

    async def _complete(
        self,
        token: str,
        team: str,
        ch: str,
        files: list[dict[str, str | None]],
        blocks: list[Block],
    ) -> None:
        async with self.pacer.slot(ch), self.tiers.slot(team, "files.completeUploadExternal"):
            await self.client.files_completeUploadExternal(
                token=token, files=files, channel_id=ch, blocks=json.dumps(blocks)
            )

    async def _join(self, token: str, team: str, ch: str, ids: list[str]) -> None:
        try:
            async with self.tiers.slot(team, "conversations.join"):
                await self.client.conversations_join(token=token, channel=ch)
        except SlackApiError as e:
            await self.delete(token, team, ids)
            error = e.response.get("error")
            raise PermanentError(f"not_in_channel ({error}): invite the bot") from e

    async def delete(self, token: str, team: str, ids: list[str]) -> None:
        """Remove uploaded files the channel will not take (best effort)."""
        for fid in ids:
            with contextlib.suppress(SlackApiError):  # an upload Slack already dropped
                async with self.tiers.slot(team, "files.delete"):
                    await self.client.files_delete(token=token, file=fid)

    async def share_ts(
        self, token: str, team: str, ch: str, ids: list[str], waits: Sequence[float]
    ) -> str | None:
        """The ts of the message sharing the files into `ch`, asking files.info after each of
        `waits`; None if the files were never completed (or not into `ch`)."""
        for wait in waits:
            await asyncio.sleep(wait)
            try:
                async with self.tiers.slot(team, "files.info"):
                    info = await self.client.files_info(token=token, file=ids[0])
            except SlackApiError as e:
                if e.response.get("error") == "file_not_found":
                    return None  # never completed: completing it again is safe
                raise
            if ts := shared_at(info["file"], ch):
                return ts
        return None


def explain(error: str) -> str:
    """Why a channel takes no post today, said so that someone can fix it."""
    if error == "channel_not_found":
        return "channel_not_found: the channel is gone, or private without the bot: invite the bot"
    return error


def shared_at(file: dict[str, Any], ch: str) -> str | None:
    for where in ("public", "private"):
        shares = (file.get("shares") or {}).get(where) or {}
        if shares.get(ch):
            return str(shares[ch][0]["ts"])
    return None


def _no_share() -> str:
    raise RuntimeError("the charts were completed but Slack has not shown the share yet")
