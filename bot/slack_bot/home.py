"""The App Home tab: the newest digest at a glance (counts, charts, a button per category) and
this workspace's daily posts (channel, time, zone, kinds, categories, language), with buttons to
add one and a menu on each to edit or remove it, for those allowed (SLACK_SUBSCRIBE_POLICY).

At most MAX_LISTED posts are listed (a Home tab holds 100 blocks); the rest are counted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.common.subscription import Subscription
from bot.slack_bot.actions import HOME_ADD, HOME_SUB, sub_menu_value
from bot.slack_bot.blocks import Block, context, header, section
from bot.slack_bot.mrkdwn import esc
from bot.slack_bot.overview import day_overview
from bot.slack_bot.web_links import WebLinks
from core.digest import Digest

MAX_LISTED = 40
MAX_HOME_BLOCKS = 100


def home_view(
    digest: Digest | None,
    subs: list[Subscription],
    describe: Callable[[Subscription], str],
    links: WebLinks,
    *,
    may_manage: bool,
    managers: str = "workspace admins and owners",
) -> dict[str, Any]:
    blocks: list[Block] = []
    if digest is None:
        blocks += [
            header("aidigest"),
            section("No digest is ready yet: the first day appears after the daily build."),
        ]
    else:
        blocks += day_overview(digest, links)
    blocks += [{"type": "divider"}, header("Daily posts in this workspace")]
    if not subs:
        blocks.append(section("No channel here gets the daily post yet."))
    for sub in sorted(subs, key=lambda s: s.channel)[:MAX_LISTED]:
        row = section(f"<#{sub.channel}>  {esc(describe(sub))}")
        if may_manage:
            row["accessory"] = _menu(sub.channel)
        blocks.append(row)
    if len(subs) > MAX_LISTED:
        more = len(subs) - MAX_LISTED
        blocks.append(context(f"…and {more} more: `/aidigest subscriptions` in each channel."))
    if may_manage:
        add = {"type": "plain_text", "text": "Add a daily post"}
        button = {"type": "button", "text": add, "action_id": HOME_ADD, "style": "primary"}
        blocks.append({"type": "actions", "block_id": "home-add", "elements": [button]})
    else:
        blocks.append(context(f"Only {managers} can add, change or remove daily posts here."))
    return {"type": "home", "blocks": blocks[:MAX_HOME_BLOCKS]}


def _menu(channel: str) -> Block:
    def option(text: str, verb: str) -> dict[str, Any]:
        return {
            "text": {"type": "plain_text", "text": text},
            "value": sub_menu_value(verb, channel),
        }

    return {
        "type": "overflow",
        "action_id": f"{HOME_SUB}.{channel}"[:255],
        "options": [option("Edit…", "edit"), option("Remove…", "remove")],
    }
