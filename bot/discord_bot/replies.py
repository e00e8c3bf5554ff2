"""From the shared commands' platform-neutral Reply to Discord messages, and sending them as an
interaction's answer: directly when the answer is ready within the defer threshold (the common
case: one Redis read), else deferred first so Discord's 3-second window is never missed.

Errors are always ephemeral and say what would work; answers are ephemeral unless shared.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.common.dispatch import OOPS, Reply
from bot.discord_bot.embeds import (
    MAX_CONTENT,
    Message,
    header_content,
    overview_embeds,
    pack,
    safe,
    section_embeds,
    split_text,
)
from core.items import KINDS
from core.lookup import Found
from core.store.async_reader import AsyncDayReader

log = logging.getLogger(__name__)
DEFER_AFTER = 2.0  # seconds: Discord drops an interaction not answered within 3


@dataclass
class Answer:
    messages: list[Message] = field(default_factory=list)
    ok: bool = True
    share: bool = False

    @property
    def ephemeral(self) -> bool:
        return not (self.ok and self.share)

    @classmethod
    def text(cls, text: str, *, ok: bool = True) -> Answer:
        parts = split_text(safe(text), MAX_CONTENT)
        return cls([Message(content=p) for p in parts], ok=ok)


async def render(reply: Reply, reader: AsyncDayReader, *, slash: Any = None) -> Answer:
    """`slash` rewrites text-grammar examples into slash-command syntax (texts.slashify)."""
    if reply.found is None:
        text = slash(reply.text) if slash else reply.text
        if getattr(reply, "pre", False):  # laid out in columns: keep them in a code block
            text = "```\n" + text.replace("`", "'") + "\n```"
        answer = Answer.text(text, ok=reply.ok)
        answer.share = reply.share
        return answer
    messages = await found_messages(reply.found, reader)
    return Answer(messages, ok=reply.ok, share=reply.share)


async def found_messages(found: Found, reader: AsyncDayReader) -> list[Message]:
    out: list[Message] = []
    if found.overview is not None:
        shown: set[str] = {s.kind for s in found.sections} or set(found.overview.kinds)
        kinds = [k for k in KINDS if k in shown]
        charts = await reader.charts(found.day, kinds)
        embeds, files = overview_embeds(found.overview, kinds, charts)
        hint = _pick_hint(found)
        out.append(Message(f"{header_content(found.overview)}\n{hint}".strip(), embeds, files))
    for group in pack(e for s in found.sections for e in section_embeds(s)):
        out.append(Message(embeds=group))
    return out or [Message(content="Nothing to show for that day.")]


def _pick_hint(found: Found) -> str:
    if found.sections or found.overview is None:
        return ""
    for kind, kd in found.overview.kinds.items():
        if kd.sections:
            name = kd.names.get(kd.sections[0], kd.sections[0])
            return (
                f"-# Pick a section: `/aidigest show kind:{kind} category:{name} date:{found.day}`"
            )
    return ""


def _kwargs(reply: Message) -> dict[str, Any]:
    kw: dict[str, Any] = {}
    if reply.content:
        kw["content"] = reply.content
    if reply.embeds:
        kw["embeds"] = reply.embeds
    if reply.files:
        kw["files"] = reply.discord_files()
    return kw


async def respond(
    interaction: discord.Interaction[Any],
    work: Awaitable[Answer],
    *,
    public: bool = False,
    defer_after: float = DEFER_AFTER,
) -> None:
    """Answer with `work`'s result; defer first if it is not ready within `defer_after`."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=defer_after)
    if not done:
        await interaction.response.defer(ephemeral=not public, thinking=True)
    try:
        answer = await task
    except Exception:
        log.exception("answering /aidigest failed")
        answer = Answer.text(OOPS, ok=False)
    first, *rest = answer.messages or [Message(content="Done.")]
    ephemeral = answer.ephemeral
    if not interaction.response.is_done():
        await interaction.response.send_message(**_kwargs(first), ephemeral=ephemeral)
    else:
        if public and ephemeral:  # a refusal must not stay in the channel's public "thinking…"
            await interaction.delete_original_response()
        await interaction.followup.send(**_kwargs(first), ephemeral=ephemeral)
    for more in rest:
        await interaction.followup.send(**_kwargs(more), ephemeral=ephemeral)


async def refuse(interaction: discord.Interaction[Any], text: str) -> None:
    """An ephemeral refusal from outside a handler (a failed check or option conversion)."""
    kw = _kwargs(Answer.text(text, ok=False).messages[0])
    if interaction.response.is_done():
        await interaction.followup.send(**kw, ephemeral=True)
    else:
        await interaction.response.send_message(**kw, ephemeral=True)
