"""What Slack refuses in a message, and how tests read what a message shows.

A message's blocks must pass Block Kit's schema (tests/doubles/slack_blockkit.py: at most 50
blocks, section text at most 3000 characters, …) and hold at most 12,000 characters of text in
all: Slack refuses more with `msg_blocks_too_long` (undocumented; bolt-js#2509 measured the
refusal from about 12k-13.3k characters of block text, so the stand-in draws the line at the
documented markdown-block total, 12,000). A message's `text` holds at most 40,000 characters
(`msg_too_long`); a message needs `text` or `blocks` (`no_text`).
"""

from __future__ import annotations

import re
from typing import Any

from tests.doubles.slack_blockkit import blocks_errors

MAX_BLOCKS = 50
MAX_BLOCKS_TEXT = 12000
MAX_MESSAGE_TEXT = 40000

# <!channel>, <!here>, <!everyone>, <!subteam^…>, <@U…>, <#C…>, <http…|label>, <mailto:…>
_MARKUP = re.compile(r"<([^<>]*)>")


def blocks_text_length(blocks: Any) -> int:
    """Characters of text in blocks: every `text` string at any depth (links count whole)."""
    total = 0

    def walk(node: Any) -> None:
        nonlocal total
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "text" and isinstance(v, str):
                    total += len(v)
                elif isinstance(v, dict | list):
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(blocks)
    return total


def block_errors(blocks: Any) -> list[str]:
    """Why Slack would refuse these blocks in a message; [] when it would accept them."""
    errors = blocks_errors(blocks, "message")
    if not errors and blocks_text_length(blocks) > MAX_BLOCKS_TEXT:
        errors = ["msg_blocks_too_long"]
    return errors


def message_refusal(text: Any, blocks: Any) -> dict[str, Any] | None:
    """Slack's answer refusing a message with this `text` and `blocks`; None to accept it."""
    if not text and not blocks:
        return {"ok": False, "error": "no_text"}
    if text and len(str(text)) > MAX_MESSAGE_TEXT:
        return {"ok": False, "error": "msg_too_long"}
    if blocks is None:
        return None
    if errors := blocks_errors(blocks, "message"):
        return {"ok": False, "error": "invalid_blocks", "errors": errors}
    if blocks_text_length(blocks) > MAX_BLOCKS_TEXT:
        return {"ok": False, "error": "msg_blocks_too_long"}
    return None


def markup(text: str) -> list[str]:
    """The special sequences Slack would act on in mrkdwn: mentions, channel links and links.

    Escaped text (`&lt;!channel&gt;`) has none, which is how tests prove feed text is harmless.
    """
    return _MARKUP.findall(text)


def message_texts(message: dict[str, Any]) -> list[str]:
    """Every mrkdwn/plain text a message shows: its `text` and all text inside its blocks."""
    out = [message.get("text") or ""]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                out.append(node["text"])
            for v in node.values():
                if isinstance(v, dict | list):
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(message.get("blocks") or [])
    return out
