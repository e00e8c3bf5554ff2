"""Sending an answer to an interaction, in time: directly when it is ready within DEFER_AFTER of
Discord creating the interaction (the common case: a cached answer or one Redis read), else
deferred first, so Discord's 3-second window is never missed. A press on a section's day
buttons may replace the (ephemeral) message it was on instead of adding one.

An interaction that reached the bot too late to answer (10062 Unknown interaction) is logged as
what it is, never as an error.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any

import discord

from bot.common.dispatch import OOPS
from bot.discord_bot.answers import Answer
from bot.discord_bot.embeds import Message

log = logging.getLogger(__name__)
DEFER_AFTER = 2.0  # seconds after Discord created the interaction; it drops one not answered in 3
UNKNOWN_INTERACTION = 10062
INTERACTION_TTL = 3.0


def age(interaction: discord.Interaction[Any]) -> float:
    """Seconds since Discord created the interaction (from its id). A clock so far off that the
    age is impossible counts as no age: the deadline is then measured from now."""
    seconds = (discord.utils.utcnow() - interaction.created_at).total_seconds()
    return seconds if 0.0 <= seconds <= INTERACTION_TTL * 2 else 0.0


def too_late(error: BaseException) -> bool:
    """Discord no longer knows the interaction: it was answered after its 3 seconds."""
    return isinstance(error, discord.NotFound) and error.code == UNKNOWN_INTERACTION


class NotAnErrorWhenLate(logging.Filter):
    """On discord.py's command tree logger: an interaction that came too late to answer is not
    an error (autocomplete.answer has logged it). discord.py tries once more to send choices
    after a refused answer and logs the refusal as an ERROR; that record is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return error is None or not too_late(error)


def _kwargs(message: Message) -> dict[str, Any]:
    kw: dict[str, Any] = {}
    if message.content:
        kw["content"] = message.content
    if message.embeds:
        kw["embeds"] = message.embeds
    if message.files:
        kw["files"] = message.discord_files()
    if message.view is not None:
        kw["view"] = message.view
    return kw


async def respond(
    interaction: discord.Interaction[Any],
    work: Awaitable[Answer],
    *,
    public: bool = False,
    defer_after: float = DEFER_AFTER,
    in_place: bool = False,
) -> None:
    """Answer with `work`'s result; defer first if it is not ready `defer_after` seconds after
    Discord created the interaction. `in_place`: a component's answer of one message without
    files replaces the message the component is on."""
    try:
        await _respond(interaction, work, public, defer_after, in_place)
    except discord.HTTPException as e:
        if not too_late(e):
            raise
        log.info("interaction came too late to answer (%.1fs after Discord made it)",
                 age(interaction))  # fmt: skip


async def _respond(
    interaction: discord.Interaction[Any],
    work: Awaitable[Answer],
    public: bool,
    defer_after: float,
    in_place: bool,
) -> None:
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=max(defer_after - age(interaction), 0.0))
    if not done:  # for a component, a plain defer means "updating the message"
        await interaction.response.defer(ephemeral=not public, thinking=not in_place)
    try:
        answer = await task
    except Exception:
        log.exception("answering /aidigest failed")
        answer = Answer.text(OOPS, ok=False)
    first, *rest = answer.messages or [Message(content="Done.")]
    if in_place and answer.ok and not rest and not first.files:
        await _replace(interaction, first)
        return
    ephemeral = answer.ephemeral
    if not interaction.response.is_done():
        await interaction.response.send_message(**_kwargs(first), ephemeral=ephemeral)
    else:
        if public and ephemeral and not in_place:  # a refusal must not stay "thinking…"
            await interaction.delete_original_response()
        await interaction.followup.send(**_kwargs(first), ephemeral=ephemeral)
    for more in rest:
        await interaction.followup.send(**_kwargs(more), ephemeral=ephemeral)


async def _replace(interaction: discord.Interaction[Any], message: Message) -> None:
    content, embeds, view = message.content or None, message.embeds, message.view
    if interaction.response.is_done():
        await interaction.edit_original_response(content=content, embeds=embeds, view=view)
    else:
        await interaction.response.edit_message(content=content, embeds=embeds, view=view)


async def refuse(interaction: discord.Interaction[Any], text: str) -> None:
    """An ephemeral refusal from outside a handler (a failed check or a bad option)."""
    kw = _kwargs(Answer.text(text, ok=False).messages[0])
    try:
        if interaction.response.is_done():
            await interaction.followup.send(**kw, ephemeral=True)
        else:
            await interaction.response.send_message(**kw, ephemeral=True)
    except discord.HTTPException as e:
        if not too_late(e):
            raise
        log.info("interaction came too late to refuse (%.1fs)", age(interaction))
