"""A platform-neutral Reply as Slack messages: the ack body, then more through response_url.

What a reply shows (`found_blocks`) is shared with the buttons (bot/slack_bot/interactions.py):
a kind's overview with a button per category, a day's overview with every kind's buttons, or
sections with the day-before/after buttons under each. Every message is within Slack's limits
(bot/slack_bot/limits.py) and a reply is at most MAX_MESSAGES of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.common.dispatch import Reply
from bot.slack_bot.actions import Target
from bot.slack_bot.blocks import Block, context, fallback_text, pages, section_blocks, text_blocks
from bot.slack_bot.overview import day_overview, kind_overview, section_nav
from bot.slack_bot.rendered import RenderedSections
from bot.slack_bot.web_links import WebLinks
from core.digest import Section
from core.lookup import Found

MAX_MESSAGES = 5  # a response_url takes five messages; the ack is the first
Message = dict[str, Any]


@dataclass(frozen=True)
class View:
    """What rendering needs besides the answer: links to the web, the ready days (newest first)."""

    links: WebLinks = field(default_factory=WebLinks)
    dates: tuple[str, ...] = ()
    rendered: RenderedSections | None = None  # sections rendered before (bot/slack_bot/rendered.py)

    def section(self, s: Section) -> list[Block]:
        web = self.links.section(s)
        if self.rendered is None:
            return section_blocks(s, web)
        return self.rendered.blocks(s, web)

    def around(self, day: str) -> tuple[str | None, str | None]:
        """The ready days just before and after `day`."""
        older = [d for d in self.dates if d < day]
        newer = [d for d in self.dates if d > day]
        return (older[0] if older else None), (newer[-1] if newer else None)


def found_blocks(found: Found, view: View) -> list[Block]:
    if found.overview is not None and found.sections:
        kind = found.sections[0].kind
        return kind_overview(found.overview, kind, found.sections, view.links)
    if found.overview is not None:
        return day_overview(found.overview, view.links)
    blocks: list[Block] = []
    for s in found.sections:
        blocks += view.section(s)
        before, after = view.around(s.date)
        blocks.append(section_nav(Target(s.kind, s.category, s.date, s.lang), before, after))
    return blocks


def messages(reply: Reply, view: View | None = None) -> list[Message]:
    view = view or View()
    if reply.found is not None:
        blocks = found_blocks(reply.found, view)
    else:
        blocks = text_blocks(reply.text, pre=reply.pre)
    kind = "in_channel" if reply.share else "ephemeral"
    return as_messages(blocks, kind)


def as_messages(blocks: list[Block], response_type: str = "ephemeral") -> list[Message]:
    split = pages(blocks)
    if len(split) > MAX_MESSAGES:
        split = split[:MAX_MESSAGES]
        split[-1] = [*split[-1][:-1], context("More than fits here: ask for one category.")]
    return [{"response_type": response_type, "blocks": p, "text": fallback_text(p)} for p in split]
