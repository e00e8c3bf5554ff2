"""A platform-neutral Reply as Slack slash-command responses (ack body, then response_url)."""

from __future__ import annotations

from typing import Any

from bot.common.dispatch import Reply
from bot.slack_bot.blocks import (
    Block,
    context,
    fallback_text,
    overview_blocks,
    pages,
    section_blocks,
    text_blocks,
)

MAX_MESSAGES = 5  # a response_url takes five messages; the ack is the first


def messages(reply: Reply) -> list[dict[str, Any]]:
    blocks: list[Block] = []
    found = reply.found
    if found is not None:
        if found.sections:
            for s in found.sections:
                blocks += section_blocks(s)
        elif found.overview is not None:
            blocks = overview_blocks(found.overview)
    else:
        blocks = text_blocks(reply.text, pre=reply.pre)
    split = pages(blocks)
    if len(split) > MAX_MESSAGES:
        split = split[:MAX_MESSAGES]
        split[-1] = [*split[-1][:-1], context("More sections than fit here: ask for one category.")]
    kind = "in_channel" if reply.share else "ephemeral"
    return [{"response_type": kind, "blocks": p, "text": fallback_text(p)} for p in split]
