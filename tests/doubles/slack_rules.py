"""What the Slack stand-in checks in a message, as Slack documents it, and how tests read markup.

Block Kit limits (docs.slack.dev/reference/block-kit): at most 50 blocks in a message, a section's
text at most 3000 characters, a header's 150, a context at most 10 elements, a section at most
10 fields of 2000; a message's `text` at most 40000 characters. An image block names exactly one
of `image_url` and `slack_file`. Slack answers `invalid_blocks` with JSON-pointer reasons.
"""

from __future__ import annotations

import re
from typing import Any

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_FIELD_TEXT = 2000
MAX_MESSAGE_TEXT = 40000

# <!channel>, <!here>, <!everyone>, <!subteam^…>, <@U…>, <#C…>, <http…|label>, <mailto:…>
_MARKUP = re.compile(r"<([^<>]*)>")


def block_errors(blocks: Any) -> list[str]:
    """Why Slack would refuse these blocks; [] when it would accept them."""
    if not isinstance(blocks, list):
        return ["must be an array [json-pointer:/blocks]"]
    if len(blocks) > MAX_BLOCKS:
        return [f"must provide an array of no more than {MAX_BLOCKS} items [json-pointer:/blocks]"]
    errors: list[str] = []
    for i, block in enumerate(blocks):
        errors += [f"{e} [json-pointer:/blocks/{i}]" for e in _one(block)]
    return errors


def _one(block: Any) -> list[str]:
    if not isinstance(block, dict) or "type" not in block:
        return ["missing required field: type"]
    kind = block["type"]
    text = block.get("text") if isinstance(block.get("text"), dict) else {}
    if kind == "section":
        out = _text_errors(text, MAX_SECTION_TEXT) if text else []
        fields = block.get("fields") or []
        if not text and not fields:
            return ["must provide text or fields"]
        if len(fields) > 10:
            out.append("fields: must provide an array of no more than 10 items")
        for f in fields:
            out += _text_errors(f, MAX_FIELD_TEXT)
        return out
    if kind == "header":
        if text.get("type") != "plain_text":
            return ["header text must be plain_text"]
        return _text_errors(text, MAX_HEADER_TEXT)
    if kind == "context":
        elements = block.get("elements") or []
        if not 1 <= len(elements) <= 10:
            return ["elements: must provide 1 to 10 items"]
        return [e for el in elements if el.get("type") != "image" for e in _text_errors(el, 3000)]
    if kind == "image":
        has = [k for k in ("image_url", "slack_file") if block.get(k)]
        if len(has) != 1 or not block.get("alt_text"):
            return ["image needs alt_text and exactly one of image_url, slack_file"]
        return []
    if kind in ("divider", "rich_text", "actions", "markdown"):
        return []
    return [f"unsupported type: {kind}"]


def _text_errors(text: Any, limit: int) -> list[str]:
    if not isinstance(text, dict) or text.get("type") not in ("plain_text", "mrkdwn"):
        return ["text must be a plain_text or mrkdwn object"]
    body = text.get("text")
    if not isinstance(body, str) or not body:
        return ["text must be a non-empty string"]
    if len(body) > limit:
        return [f"must be less than {limit + 1} characters"]
    return []


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
