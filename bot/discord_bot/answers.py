"""From the shared commands' platform-neutral Reply to the Discord messages of an answer.

- A day or a whole kind (no category): the overview, one message: the charts, each kind's counts
  and categories (with their top titles when the kind's sections were read), and a select menu
  per kind to open one of its sections.
- A category: its sections packed into as few messages as Discord's limits allow, the last with
  buttons to the ready day before and after, and back to that day's overview.
- Text (help, lists, refusals): split to Discord's content limit; our own words, with examples
  rewritten in slash-command syntax.

Errors are always ephemeral and say what would work; answers are ephemeral unless shared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.common.dispatch import Reply
from bot.discord_bot.components import overview_layout, section_layout
from bot.discord_bot.embeds import (
    NO_LINKS,
    Links,
    Message,
    header_content,
    overview_embeds,
    packed_sections,
)
from bot.discord_bot.limits import MAX_CONTENT, split_text
from core.items import KINDS
from core.lookup import Found
from core.store.async_reader import AsyncDayReader


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
        parts = split_text(text, MAX_CONTENT)
        return cls([Message(content=p) for p in parts], ok=ok)


async def render(
    reply: Reply,
    reader: AsyncDayReader,
    links: Links = NO_LINKS,
    slash: Callable[[str], str] | None = None,
) -> Answer:
    """`slash` rewrites text-grammar examples into slash-command syntax (texts.slashify)."""
    if reply.found is None:
        text = slash(reply.text) if slash else reply.text
        if reply.pre:  # laid out in columns: keep them in a code block
            text = "```\n" + text.replace("`", "'") + "\n```"
        answer = Answer.text(text, ok=reply.ok)
        answer.share = reply.share
        return answer
    messages = await found_messages(reply.found, reader, links)
    return Answer(messages, ok=reply.ok, share=reply.share)


async def found_messages(
    found: Found, reader: AsyncDayReader, links: Links = NO_LINKS
) -> list[Message]:
    if found.overview is not None:
        shown: set[str] = {s.kind for s in found.sections} or set(found.overview.kinds)
        kinds = [k for k in KINDS if k in shown]
        charts = await reader.charts(found.day, kinds)
        embeds, files = overview_embeds(found.overview, kinds, charts, links, found.sections)
        view = overview_layout(found.overview, kinds)
        return [Message(header_content(found.overview), embeds, files, view)]
    if not found.sections:
        return [Message(content="Nothing to show for that day.")]
    out = [Message(embeds=group) for group in packed_sections(found.sections, links)]
    out[-1].view = section_layout(found.sections, await reader.dates())
    return out
