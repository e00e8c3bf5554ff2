"""Slack's message limits and the paging that keeps every message within them.

Block Kit (docs.slack.dev/reference/block-kit): at most 50 blocks a message, 3000 characters of
text a section, 150 a header. Slack also refuses a message whose blocks hold more than about
12,000 characters of text in all (`msg_blocks_too_long`: undocumented, measured by bolt users
at 12-13.3k characters depending on the block types), so a message here holds at most
MAX_MESSAGE_TEXT = 11,000, a margin under the lowest figure reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Block = dict[str, Any]
MAX_BLOCKS = 50
MAX_TEXT = 3000
MAX_HEADER = 150
MAX_MESSAGE_TEXT = 11_000


def text_size(node: Any) -> int:
    """Characters of text in a block (or list of them): every `text` string inside it."""
    if isinstance(node, list):
        return sum(map(text_size, node))
    if not isinstance(node, dict):
        return 0
    size = 0
    for k, v in node.items():
        if isinstance(v, str):
            size += len(v) if k == "text" else 0
        elif isinstance(v, dict | list):
            size += text_size(v)
    return size


def pages(
    blocks: Iterable[Block], max_blocks: int = MAX_BLOCKS, max_text: int = MAX_MESSAGE_TEXT
) -> list[list[Block]]:
    """Blocks in order, in messages of at most `max_blocks` blocks and `max_text` characters."""
    out: list[list[Block]] = [[]]
    size = 0
    for b in blocks:
        n = text_size(b)
        if out[-1] and (len(out[-1]) >= max_blocks or size + n > max_text):
            out.append([])
            size = 0
        out[-1].append(b)
        size += n
    return out
