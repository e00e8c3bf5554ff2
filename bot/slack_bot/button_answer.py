"""What a button shows: the shared answerer (core/lookup.py) asked for the button's target, and
its answer rendered like a command's (bot/slack_bot/replies.py), as blocks or as a modal."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from bot.slack_bot.actions import SECTION, Target
from bot.slack_bot.blocks import Block, text_blocks
from bot.slack_bot.replies import View, found_blocks
from bot.slack_bot.services import Services
from core.headings import label
from core.items import Kind
from core.lookup import NotFound, lookup
from core.query import ShowQuery

MAX_MODAL_BLOCKS = 100


async def target_blocks(services: Services, target: Target) -> list[Block]:
    """The section, or the kind's overview, the target names; a message that says what would
    work when that day or section is not there."""
    q = ShowQuery(
        kinds=(cast(Kind, target.kind),),  # Target.parse let only KINDS through
        category=None if target.overview else target.category,
        date=date.fromisoformat(target.day),
    )
    got = await lookup(q, services.reader, target.lang)
    if isinstance(got, NotFound):
        return text_blocks(got.message)
    dates = await services.dates() if not target.overview else ()
    return found_blocks(got, View(services.links, dates, services.rendered))


def modal(target: Target, blocks: list[Block]) -> dict[str, Any]:
    """A section (or overview) in a modal, for the Home tab, which has no messages to replace."""
    name = label(target.lang, target.kind)
    title = f"{name} · {target.day[5:]}"
    return {
        "type": "modal",
        "callback_id": SECTION,
        "title": {"type": "plain_text", "text": title[:24]},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": blocks[:MAX_MODAL_BLOCKS],
    }
