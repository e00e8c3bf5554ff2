"""Bolt's installation and OAuth state stores on our Redis (slack_sdk ships none for Redis).

Keys (core/store/keys.py, `Keys.slack`): slack:bot:{ids} the latest Bot; slack:install:{ids} the
latest Installation and slack:install:{ids}:{user} per installing user; slack:team:{team} the ids
of its bot; slack:oauth_state:{state} "1", expiring, consumed once (GETDEL). ids is
"{enterprise}:{team}".

"none" stands for a missing enterprise or team id; an org-wide install has team "none".
Tokens live here and nowhere else; nothing here logs them.
"""

from __future__ import annotations

import json
import logging
import secrets
from logging import Logger
from typing import Any

from redis.asyncio import Redis
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from core.store.codec import as_text
from core.store.keys import Keys

_log = logging.getLogger(__name__)


def _ids(enterprise_id: str | None, team_id: str | None, org: bool | None = False) -> str:
    return f"{enterprise_id or 'none'}:{'none' if org else team_id or 'none'}"


class RedisInstallationStore(AsyncInstallationStore):
    def __init__(self, redis: Redis[bytes], keys: Keys) -> None:
        self.redis = redis
        self.keys = keys

    @property
    def logger(self) -> Logger:
        return _log

    async def async_save(self, installation: Installation) -> None:
        ids = _ids(
            installation.enterprise_id, installation.team_id, installation.is_enterprise_install
        )
        body = json.dumps(_fields(installation))
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(self.keys.slack("install", ids), body)
            pipe.set(self.keys.slack("install", ids, installation.user_id or "none"), body)
            if installation.bot_token:
                pipe.set(self.keys.slack("bot", ids), json.dumps(_fields(installation.to_bot())))
                pipe.set(self.keys.slack("team", installation.team_id or "none"), ids)
            await pipe.execute()

    async def async_save_bot(self, bot: Bot) -> None:
        if bot.bot_token:
            ids = _ids(bot.enterprise_id, bot.team_id, bot.is_enterprise_install)
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.set(self.keys.slack("bot", ids), json.dumps(_fields(bot)))
                pipe.set(self.keys.slack("team", bot.team_id or "none"), ids)
                await pipe.execute()

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        ids = _ids(enterprise_id, team_id, is_enterprise_install)
        raw = await self.redis.get(self.keys.slack("bot", ids))
        return None if raw is None else Bot(**json.loads(raw))

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        ids = _ids(enterprise_id, team_id, is_enterprise_install)
        key = self.keys.slack("install", ids) + (f":{user_id}" if user_id else "")
        raw = await self.redis.get(key)
        if raw is None:
            return None
        inst = Installation(**json.loads(raw))
        bot = await self.async_find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        if bot is not None and bot.bot_token != inst.bot_token:  # a later install's bot wins
            inst.bot_id, inst.bot_user_id, inst.bot_token = (
                bot.bot_id,
                bot.bot_user_id,
                bot.bot_token,
            )
            inst.bot_scopes, inst.bot_refresh_token = bot.bot_scopes, bot.bot_refresh_token
            inst.bot_token_expires_at = bot.bot_token_expires_at
        return inst

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.redis.delete(self.keys.slack("bot", _ids(enterprise_id, team_id)))

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        base = self.keys.slack("install", _ids(enterprise_id, team_id))
        if user_id:
            await self.redis.delete(f"{base}:{user_id}")
            return
        keys = [k async for k in self.redis.scan_iter(match=f"{base}:*", count=500)]
        await self.redis.delete(base, *keys)

    async def bot_token(self, team_id: str) -> str | None:
        """The bot token of a workspace (what the poster needs), None when not installed."""
        ids = await self.redis.get(self.keys.slack("team", team_id))
        raw = await self.redis.get(self.keys.slack("bot", as_text(ids))) if ids else None
        return Bot(**json.loads(raw)).bot_token if raw else None


class RedisOAuthStateStore(AsyncOAuthStateStore):
    def __init__(self, redis: Redis[bytes], keys: Keys, expiration_seconds: int = 600):
        self.redis = redis
        self.keys = keys
        self.expiration_seconds = expiration_seconds

    @property
    def logger(self) -> Logger:
        return _log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(24)
        await self.redis.set(self.keys.slack("oauth_state", state), "1", ex=self.expiration_seconds)
        return state

    async def async_consume(self, state: str) -> bool:
        return await self.redis.getdel(self.keys.slack("oauth_state", state)) is not None


def _fields(obj: Bot | Installation) -> dict[str, Any]:
    """The constructor's arguments, as the SDK's own file store saves them."""
    return dict(obj.__dict__)
