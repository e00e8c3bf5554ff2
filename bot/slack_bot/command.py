"""`/aidigest`: acked within Slack's 3 seconds, always, with the answer when it is ready in
time (it nearly always is: Redis reads only), else with a note and the answer via response_url.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.common.dispatch import OOPS, Caller, Reply
from bot.slack_bot.replies import View, messages
from bot.slack_bot.services import Services

COMMAND = "/aidigest"
log = logging.getLogger(__name__)
_background: set[asyncio.Task[Any]] = set()  # keeps follow-ups alive until they are sent


def register(app: AsyncApp, services: Services) -> None:
    @app.command(COMMAND)
    async def aidigest(
        ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        text = str(command.get("text") or "")
        key = (text, services.commands.today().isoformat())
        if (cached := services.answers.get(key)) is not None:
            await _answer(ack, respond, cached)
            return
        user = str(command.get("user_id", ""))

        async def may_manage() -> bool:
            return await is_manager(client, user, services.policy)

        caller = Caller(
            "slack",
            str(command.get("team_id", "")),
            str(command.get("channel_id", "")),
            user,
            may_manage,
            managers="workspace admins and owners",
        )
        job = asyncio.ensure_future(services.commands.handle(text, caller))
        done, _ = await asyncio.wait({job}, timeout=services.ack_budget)
        if not done:
            await ack(response_type="ephemeral", text="Working on it; the answer follows here.")
            _spawn(_follow_up(services, job, respond))
            return
        reply = job.result()
        try:
            msgs = messages(reply, await view_for(services, reply))
        except Exception:
            log.exception("rendering a reply failed")
            msgs = messages(Reply(OOPS, ok=False))
        else:
            if reply.cacheable:
                services.answers.put(key, msgs)
        await _answer(ack, respond, msgs)


async def _answer(ack: AsyncAck, respond: AsyncRespond, msgs: list[dict[str, Any]]) -> None:
    await ack(**msgs[0])
    if len(msgs) > 1:
        _spawn(_send(respond, msgs[1:]))


async def is_manager(client: AsyncWebClient, user: str, policy: str) -> bool:
    """Anyone, or (policy "admins") a workspace admin or owner, as users.info says."""
    if policy == "anyone":
        return True
    try:
        info = await client.users_info(user=user)
    except Exception as e:  # unknown user, Slack trouble: refuse, never guess yes
        log.warning("users.info failed: %s", type(e).__name__)
        return False
    u = info.get("user") or {}
    return bool(u.get("is_admin") or u.get("is_owner") or u.get("is_primary_owner"))


async def _follow_up(services: Services, job: asyncio.Future[Reply], respond: AsyncRespond) -> None:
    try:
        reply = await job
        msgs = messages(reply, await view_for(services, reply))
    except Exception:
        log.exception("a late reply failed")
        msgs = messages(Reply(OOPS, ok=False))
    await _send(respond, msgs)


async def view_for(services: Services, reply: Reply) -> View:
    """What rendering `reply` needs: the ready days only when it shows sections (their
    day-before/after buttons)."""
    found = reply.found
    wants_days = found is not None and found.overview is None and bool(found.sections)
    dates = await services.dates() if wants_days else ()
    return View(services.links, dates, services.rendered)


async def _send(respond: AsyncRespond, msgs: list[dict[str, Any]]) -> None:
    """Post `msgs` to the command's response_url in order, stopping at the first Slack refuses
    (a response_url takes 5 messages in 30 minutes, then answers 404 used_url/expired_url):
    the rest could only be refused too, and the log says what was left unsent and why."""
    for i, m in enumerate(msgs, start=1):
        try:
            got = await respond(**m)
        except Exception as e:
            log.warning("response_url post failed: %s", type(e).__name__)
            return
        if got.status_code != 200:
            log.warning(
                "response_url refused message %d of %d (%d %s): the rest is not sent",
                i,
                len(msgs),
                got.status_code,
                str(got.body)[:40],
            )
            return


def _spawn(coro: Any) -> None:
    task = asyncio.ensure_future(coro)
    _background.add(task)
    task.add_done_callback(_background.discard)
