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

import aiohttp
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_bot.actions import DAY, OPEN, OVERVIEW, Target, matching
from bot.slack_bot.blocks import Block, text_blocks
from bot.slack_bot.button_answer import modal, target_blocks
from bot.slack_bot.replies import as_messages
from bot.slack_bot.services import Services

log = logging.getLogger(__name__)
STALE = (
    "This button is out of date (it came from an earlier aidigest) or not one of mine. "
    "Ask again, e.g. `/aidigest papers`."
)


def register(app: AsyncApp, services: Services) -> None:
    async def show(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        action = (body.get("actions") or [{}])[0]
        target = Target.parse(action.get("value"))
        if target is None:
            await answer(services, body, client, text_blocks(STALE), None)
            return
        try:
            blocks = await target_blocks(services, target)
        except Exception:
            log.exception("a button failed")
            blocks = text_blocks("Sorry, that did not work; nothing changed. Try again.")
        await answer(services, body, client, blocks, target)

    for base in (OPEN, DAY, OVERVIEW):
        app.action(matching(base))(show)


def register_fallback(app: AsyncApp, services: Services) -> None:
    """Register after every other action listener: Bolt runs the first that matches."""

    @app.action(re.compile(".*"))
    async def stale(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        """Anything no other listener took: an id of another version, or not ours."""
        await ack()
        action = (body.get("actions") or [{}])[0]
        log.info("refused a button: %s", str(action.get("action_id"))[:80])
        await answer(services, body, client, text_blocks(STALE), None)


async def answer(
    services: Services,
    body: dict[str, Any],
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
    url = str(body.get("response_url") or "")
    sent = [first, *({**p, "replace_original": False} for p in rest)]
    for i, page in enumerate(sent, start=1):
        try:
            await post_response(services.http, url, page)
        except ResponseRefused as e:  # used up (5 messages) or expired: the rest would be too
            log.warning("answering a button: response_url refused message %d of %d (%s): "
                        "the rest is not sent", i, len(sent), e)  # fmt: skip
            return
        except Exception as e:
            log.warning("answering a button failed: %s", type(e).__name__)
            return


class ResponseRefused(RuntimeError):
    """A response_url answered other than 200: its status and Slack's error (`404 used_url`)."""


async def post_response(
    http: aiohttp.ClientSession | None, url: str, message: dict[str, Any]
) -> None:
    """POST a message to a response_url through the process's connection pool (Bolt's
    `respond` opens a new connection for every message)."""
    if not url.startswith(("https://", "http://")):
        raise ValueError("no response_url")
    own = http is None
    session = aiohttp.ClientSession() if own else http
    assert session is not None
    try:
        timeout = aiohttp.ClientTimeout(total=10)
        async with session.post(url, json=message, timeout=timeout) as r:
            if r.status != 200:
                raise ResponseRefused(f"{r.status} {(await r.text())[:40]}")
    finally:
        if own:
            await session.close()


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
