"""App lifecycle events: an uninstall forgets the workspace's subscriptions and tokens; revoked
tokens are dropped from the installation store."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext

from bot.slack_bot.services import Services


def register(app: AsyncApp, services: Services) -> None:
    @app.event("app_uninstalled")
    async def uninstalled(context: AsyncBoltContext) -> None:
        if context.team_id:
            await services.subs.remove_team("slack", context.team_id)
        if services.installs is not None:
            await services.installs.async_delete_all(
                enterprise_id=context.enterprise_id, team_id=context.team_id
            )

    @app.event("tokens_revoked")
    async def revoked(event: dict[str, Any], context: AsyncBoltContext) -> None:
        store = services.installs
        if store is None:
            return
        tokens = event.get("tokens") or {}
        for user in tokens.get("oauth") or []:
            await store.async_delete_installation(
                enterprise_id=context.enterprise_id, team_id=context.team_id, user_id=user
            )
        if tokens.get("bot"):
            await store.async_delete_bot(
                enterprise_id=context.enterprise_id, team_id=context.team_id
            )
