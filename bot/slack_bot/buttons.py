"""The buttons of answers, overviews and the Home tab: open a category's section, go to the day
before or after, back to a kind's overview. Acked at once; the answer follows.

Where the answer goes: a button in an ephemeral answer (only its caller sees it) replaces that
answer, like turning a page, through the press's own response_url (ephemeral messages cannot be
edited any other way); a button in a message the channel sees answers the presser alone, in an
ephemeral message, so one reader's browsing never changes or floods what the channel sees. A
button in the Home tab opens the answer in a modal; a button in that modal updates it.

A button from another version of aidigest, or a value that is not one of ours, gets a polite
"out of date" answer and nothing else.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_bot.actions import DAY, OPEN, OVERVIEW, Target, matching
from bot.slack_bot.blocks import Block, text_blocks
from bot.slack_bot.replies import as_messages
from bot.slack_bot.services import Services
from bot.slack_bot.show import modal, target_blocks

log = logging.getLogger(__name__)
STALE = (
    "This button is out of date (it came from an earlier aidigest) or not one of mine. "
    "Ask again, e.g. `/aidigest papers`."
)


def register(app: AsyncApp, services: Services) -> None:
    async def show(
        ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        await ack()
        action = (body.get("actions") or [{}])[0]
        target = Target.parse(action.get("value"))
        if target is None:
            await answer(body, respond, client, text_blocks(STALE), None)
            return
        try:
            blocks = await target_blocks(services, target)
        except Exception:
            log.exception("a button failed")
            blocks = text_blocks("Sorry, that did not work; nothing changed. Try again.")
        await answer(body, respond, client, blocks, target)

    for base in (OPEN, DAY, OVERVIEW):
        app.action(matching(base))(show)


def register_fallback(app: AsyncApp) -> None:
    """Register after every other action listener: Bolt runs the first that matches."""

    @app.action(re.compile(".*"))
    async def stale(
        ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        """Anything no other listener took: an id of another version, or not ours."""
        await ack()
        action = (body.get("actions") or [{}])[0]
        log.info("refused a button: %s", str(action.get("action_id"))[:80])
        await answer(body, respond, client, text_blocks(STALE), None)


async def answer(
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    blocks: list[Block],
    target: Target | None,
) -> None:
    container = body.get("container") or {}
    if container.get("type") == "view":
        await _in_modal(body, client, blocks, target)
        return
    pages = as_messages(blocks)
    first, rest = pages[0], pages[1:]
    # an answer turns the page of the caller's own answer; a refusal leaves it as it was
    replace = bool(container.get("is_ephemeral")) and target is not None
    first = {**first, "replace_original": replace}
    try:
        await respond(**first)
        for page in rest:
            await respond(**page, replace_original=False)
    except Exception as e:  # the response_url expired or is used up: nothing else to do
        log.warning("answering a button failed: %s", type(e).__name__)


async def _in_modal(
    body: dict[str, Any], client: AsyncWebClient, blocks: list[Block], target: Target | None
) -> None:
    view = modal(target or Target("news", "*", "2000-01-01", "en"), blocks)
    if target is None:
        view["title"] = {"type": "plain_text", "text": "aidigest"}
    shown = body.get("view") or {}
    try:
        if shown.get("type") == "modal":
            await client.views_update(view_id=shown["id"], hash=shown.get("hash"), view=view)
        else:  # the Home tab: a modal of its own
            await client.views_open(trigger_id=body["trigger_id"], view=view)
    except Exception as e:
        log.warning("showing a button's answer failed: %s", type(e).__name__)
