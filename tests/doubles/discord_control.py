"""A small synchronous client of the Discord stand-in's control API (see discord_server.py)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

Json = dict[str, Any]


class Control:
    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.http = httpx.Client(base_url=url + "/_control", timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def _post(self, path: str, body: Any, **params: Any) -> Any:
        r = self.http.post(path, json=body, params=params)
        r.raise_for_status()
        return r.json()

    def _get(self, path: str, **params: Any) -> Any:
        r = self.http.get(path, params={k: v for k, v in params.items() if v is not None})
        r.raise_for_status()
        return r.json()

    def add_guild(self, name: str, channels: list[Json] | None = None, **extra: Any) -> Json:
        """Invite the bot to a new guild; returns {"id", "channels": [ids]}."""
        body = {"name": name, "channels": channels or [{"name": "general"}], **extra}
        return self._post("/guilds", {"guilds": [body]})["guilds"][0]  # type: ignore[no-any-return]

    def interact(
        self, guild_id: str | None, subcommand: str, options: Json | None = None, *,
        wait: float = 5.0, **extra: Any,
    ) -> Json:  # fmt: skip
        """Inject `/aidigest <subcommand> <options>`; with `focused` set, an autocomplete;
        guild None: in the user's DM with the bot."""
        where = {"guild_id": guild_id} if guild_id else {"dm": True}
        body = {**where, "subcommand": subcommand, "options": options or {}, **extra}
        return self._post("/interactions", body, wait=wait)  # type: ignore[no-any-return]

    def press(
        self, guild_id: str | None, message_id: str, custom_id: str,
        values: list[str] | None = None, *, wait: float = 5.0, **extra: Any,
    ) -> Json:  # fmt: skip
        """A press on component `custom_id` of the bot's message `message_id`."""
        where = {"guild_id": guild_id} if guild_id else {"dm": True}
        body = {**where, "message_id": message_id, "custom_id": custom_id, **extra}
        if values is not None:
            body["values"] = values
        return self._post("/interactions", body, wait=wait)  # type: ignore[no-any-return]

    def update_channel(self, channel_id: str, **switches: Any) -> Json:
        """Change a channel's overwrites (switches as in add_guild); the bot gets CHANNEL_UPDATE."""
        r = self.http.patch(f"/channels/{channel_id}", json=switches)
        r.raise_for_status()
        return r.json()  # type: ignore[no-any-return]

    def delete_channel(self, channel_id: str) -> None:
        """Delete a channel as a server admin would; the bot gets CHANNEL_DELETE."""
        self.http.delete(f"/channels/{channel_id}").raise_for_status()

    def clock(self, **change: float) -> Json:
        """{"advance": seconds} moves the stand-in's clock on; {"nonce_window": seconds}."""
        return self._post("/clock", change)  # type: ignore[no-any-return]

    def interaction(self, interaction_id: str) -> Json:
        return self._get(f"/interactions/{interaction_id}")  # type: ignore[no-any-return]

    def messages(self, *, guild_id: str | None = None, channel_id: str | None = None) -> list[Json]:
        return self._get("/messages", guild_id=guild_id, channel_id=channel_id)  # type: ignore[no-any-return]

    def limits(self, **config: Any) -> None:
        self._post("/limits", config)

    def fault(self, route: str, **spec: Any) -> None:
        self._post("/faults", {"route": route, **spec})

    def clear_faults(self) -> None:
        self.http.delete("/faults").raise_for_status()

    def stats(self) -> Json:
        return self._get("/stats")  # type: ignore[no-any-return]

    def log(self) -> list[list[Any]]:
        return self._get("/log")  # type: ignore[no-any-return]

    def commands(self) -> dict[str, list[Json]]:
        return self._get("/commands")  # type: ignore[no-any-return]

    def reset(self) -> None:
        self._post("/reset", {})

    def wait_for(self, what: Callable[[], Any], timeout: float = 20.0, every: float = 0.05) -> Any:
        """Poll until `what()` is truthy; returns it, or raises TimeoutError with the last value."""
        deadline = time.monotonic() + timeout
        value = what()
        while not value:
            if time.monotonic() > deadline:
                raise TimeoutError(f"still {value!r} after {timeout}s")
            time.sleep(every)
            value = what()
        return value
