"""The App Home tab's listeners: publish it when a user opens it (app_home_opened), and after
they change a daily post; the "add" button and each post's menu open modals (bot/slack_bot/
modals.py); submitting one saves or removes the subscription.

Who may change posts is checked again on every press and every submission (the tab may have
been drawn before the policy or the user's role changed). A channel is accepted only if the bot
can post there: a public channel, or a private one the bot is in.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.common.subscription import Subscription
from bot.slack_bot.actions import HOME_ADD, HOME_SUB, REMOVE, SUBSCRIPTION, matching, parse_sub_menu
from bot.slack_bot.command import is_manager
from bot.slack_bot.home import home_view
from bot.slack_bot.modals import (
    metadata_channel,
    notice_modal,
    read_form,
    remove_modal,
    subscription_modal,
)
from bot.slack_bot.services import Services
from core.store.keys import sid_of

log = logging.getLogger(__name__)
MANAGERS = "workspace admins and owners"


def register(app: AsyncApp, services: Services) -> None:
    @app.event("app_home_opened")
    async def opened(event: dict[str, Any], client: AsyncWebClient, context: Any) -> None:
        if event.get("tab") == "home" and context.team_id:
            await publish(services, client, str(context.team_id), str(event.get("user")))

    @app.action(matching(HOME_ADD))
    async def add(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        team, user = _who(body)
        if not await is_manager(client, user, services.policy):
            await _open(client, body, notice_modal(f"Only {MANAGERS} can add daily posts here."))
            return
        view = subscription_modal(
            services.commands.taxonomy, services.languages, _new(services, team, user), channel=None
        )
        await _open(client, body, view)

    @app.action(matching(HOME_SUB))
    async def menu(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        team, user = _who(body)
        action = (body.get("actions") or [{}])[0]
        chosen = parse_sub_menu((action.get("selected_option") or {}).get("value"))
        sub = await services.subs.get(sid_of("slack", team, chosen[1])) if chosen else None
        if chosen is None or sub is None:
            await _open(client, body, notice_modal("That daily post is gone already."))
            return
        if not await is_manager(client, user, services.policy):
            await _open(client, body, notice_modal(f"Only {MANAGERS} can change daily posts."))
            return
        verb, channel = chosen
        if verb == "edit":
            tx, langs = services.commands.taxonomy, services.languages
            view = subscription_modal(tx, langs, sub, channel=channel)
        else:
            view = remove_modal(
                channel, services.commands.describe(sub, services.commands.clock.now())
            )
        await _open(client, body, view)

    @app.view(SUBSCRIPTION)
    async def save(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        team, user = _who(body)
        view = body.get("view") or {}
        form = read_form(
            view, services.commands.taxonomy, services.languages, services.commands.today()
        )
        if not form.errors and (problem := await _cannot_post(client, form.channel)):
            form.errors["channel" if "channel" in _inputs(view) else "kinds"] = problem
        if not form.errors and not await is_manager(client, user, services.policy):
            form.errors[next(iter(_inputs(view)))] = f"Only {MANAGERS} can change daily posts."
        if form.errors:
            await ack(response_action="errors", errors=form.errors)
            return
        await ack()
        now = services.commands.clock.now()
        old = await services.subs.get(sid_of("slack", team, form.channel))
        sub = Subscription(
            platform="slack",
            team=team,
            channel=form.channel,
            kinds=form.kinds,  # type: ignore[arg-type]
            categories=form.categories,
            time=form.time,
            tz=form.tz,
            lang=form.lang,
            created_by=old.created_by if old else user,
            created_at=old.created_at if old else now.isoformat(),
            updated_at=now.isoformat(),
        )
        await services.subs.save(sub, now=now.timestamp())
        await publish(services, client, team, user)

    @app.view(REMOVE)
    async def remove(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        team, user = _who(body)
        channel = metadata_channel(body.get("view") or {})
        if channel is None:
            await ack(response_action="update", view=notice_modal("Nothing was removed."))
            return
        if not await is_manager(client, user, services.policy):
            why = f"Only {MANAGERS} can remove daily posts here. Nothing was removed."
            await ack(response_action="update", view=notice_modal(why))
            return
        await ack()
        sub = await services.subs.get(sid_of("slack", team, channel))
        if sub is not None:
            await services.subs.delete(sub)
        await publish(services, client, team, user)


async def publish(services: Services, client: AsyncWebClient, team: str, user: str) -> None:
    """Draw `user`'s Home tab as it is now."""
    dates = await services.dates()
    digest = None
    if dates:
        digest = await services.reader.meta(dates[0], services.links.default_lang)
        if digest is None and (langs := await services.reader.langs(dates[0])):
            digest = await services.reader.meta(dates[0], langs[0])
    subs = await services.subs.of_team("slack", team)
    now = services.commands.clock.now()
    view = home_view(
        digest,
        subs,
        lambda s: services.commands.describe(s, now),
        services.links,
        may_manage=await is_manager(client, user, services.policy),
        managers=MANAGERS,
    )
    try:
        await client.views_publish(user_id=user, view=view)
    except SlackApiError as e:
        log.warning("views.publish failed: %s", e.response.get("error"))


def _who(body: dict[str, Any]) -> tuple[str, str]:
    user = body.get("user") or {}
    team = (body.get("team") or {}).get("id") or user.get("team_id") or ""
    return str(team), str(user.get("id") or "")


def _new(services: Services, team: str, user: str) -> Subscription:
    d = services.commands.defaults
    return Subscription(
        platform="slack", team=team, channel="C0", kinds=["news", "papers"], time=d.time,
        tz=d.tz, lang=d.lang, created_by=user, created_at="",
    )  # fmt: skip


def _inputs(view: dict[str, Any]) -> list[str]:
    return [str(b.get("block_id")) for b in view.get("blocks") or [] if b.get("type") == "input"]


async def _cannot_post(client: AsyncWebClient, channel: str) -> str | None:
    """Why the bot could not post daily in `channel`; None if it can."""
    try:
        info = (await client.conversations_info(channel=channel)).get("channel") or {}
    except SlackApiError as e:
        if e.response.get("error") in ("channel_not_found", "not_in_channel"):
            return "I can't see that channel: invite @aidigest to it first."
        raise
    if info.get("is_archived"):
        return "That channel is archived."
    if info.get("is_private") and not info.get("is_member"):
        return "That channel is private: invite @aidigest to it first."
    return None


async def _open(client: AsyncWebClient, body: dict[str, Any], view: dict[str, Any]) -> None:
    try:
        await client.views_open(trigger_id=body["trigger_id"], view=view)
    except SlackApiError as e:
        log.warning("views.open failed: %s", e.response.get("error"))
