"""The Slack workspaces a stand-in serves: tokens, channels, users, messages, and the Web API
methods that read and change them (`_m_chat_postMessage` answers chat.postMessage, …).

Nothing exists until a test creates it, as in Slack: a token is valid once granted (`grant`),
a channel exists once added (`add_channel`, in one team), a user once added (`add_user`).
Unknown or revoked tokens get invalid_auth / token_revoked; a bot token cannot open a Socket
Mode connection and an app token cannot call the Web API (not_allowed_token_type); a channel
of another team, or a private one the bot is not in, is channel_not_found; a public one the bot
is not in takes posts (chat:write.public) but not file shares or history (not_in_channel).

Files live in tests/doubles/slack_files.py, views in slack_views.py; slack_api.py serves them.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from tests.doubles.slack_rules import message_refusal

Answer = dict[str, Any]


@dataclass
class Channel:
    id: str
    team: str
    private: bool = False
    member: bool = True  # the bot is in it
    archived: bool = False


@dataclass
class Token:
    team: str
    kind: str  # "bot" (xoxb, Web API) | "app" (xapp, Socket Mode)
    revoked: bool = False


class Workspace:
    url = ""  # where the server listens (upload URLs point there)
    port = 0

    def __init__(self) -> None:
        self.messages: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.ephemerals: list[dict[str, Any]] = []  # what single users were shown
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, Channel] = {}
        self.tokens: dict[str, Token] = {}
        self._seq = itertools.count(1)

    # -- what exists -----------------------------------------------------------------------
    def grant(self, token: str | None = None, *, team: str = "T1", kind: str = "bot") -> str:
        """Make `token` (or a new one) valid for `team`; returns it."""
        prefix = "xapp" if kind == "app" else "xoxb"
        token = token or f"{prefix}-{team}-{next(self._seq):06d}-granted"
        self.tokens[token] = Token(team, kind)
        return token

    def revoke(self, token: str) -> None:
        self.tokens[token].revoked = True

    def add_channel(
        self,
        cid: str,
        *,
        team: str = "T1",
        private: bool = False,
        member: bool = True,
        archived: bool = False,
    ) -> Channel:
        self.channels[cid] = Channel(cid, team, private, member, archived)
        return self.channels[cid]

    def add_user(
        self, user_id: str, *, team: str = "T1", admin: bool = False, owner: bool = False
    ) -> None:
        self.users[user_id] = {
            "id": user_id,
            "team_id": team,
            "name": user_id.lower(),
            "is_admin": admin,
            "is_owner": owner,
            "is_primary_owner": False,
            "is_bot": False,
        }

    def posts(self, channel: str) -> list[dict[str, Any]]:
        self.settle()
        return list(self.messages.get(channel, []))

    def settle(self) -> None:
        """Make what Slack does asynchronously visible once its time has come (files)."""

    # -- checks every method shares ----------------------------------------------------------
    def authorize(self, token: str | None, method: str) -> tuple[str | None, Answer | None]:
        """(team, None) for a token that may call `method`, else (None, Slack's refusal)."""
        if method == "oauth.v2.access":
            return None, None  # client id and secret, no token
        if not token:
            return None, {"ok": False, "error": "not_authed"}
        known = self.tokens.get(token)
        if known is None:
            return None, {"ok": False, "error": "invalid_auth"}
        if known.revoked:
            return None, {"ok": False, "error": "token_revoked"}
        if (known.kind == "app") != (method == "apps.connections.open"):
            return None, {"ok": False, "error": "not_allowed_token_type"}
        return known.team, None

    def channel(self, cid: Any, team: str) -> Channel | None:
        """A channel the bot of `team` can see (a private one only as a member)."""
        ch = self.channels.get(str(cid or ""))
        if ch is None or ch.team != team or (ch.private and not ch.member):
            return None
        return ch

    def usable(
        self, cid: Any, team: str, *, posting: bool = False, member: bool = False
    ) -> Channel | Answer:
        """The channel a method of `team`'s bot names, or Slack's refusal: channel_not_found
        where the bot cannot see it, is_archived for a post, not_in_channel where the method
        needs the bot to be a member."""
        ch = self.channel(cid, team)
        if ch is None:
            return {"ok": False, "error": "channel_not_found"}
        if posting and ch.archived:
            return {"ok": False, "error": "is_archived"}
        if member and not ch.member:
            return {"ok": False, "error": "not_in_channel"}
        return ch

    def _ts(self) -> str:
        return f"{int(time.time())}.{next(self._seq):06d}"

    def _store(self, channel: str, team: str, **fields: Any) -> dict[str, Any]:
        msg = {
            "type": "message",
            "ts": self._ts(),
            "user": f"U{team}BOT",
            "bot_id": f"B{team}",
            "team": team,
            **{k: v for k, v in fields.items() if v is not None},
        }
        self.messages[channel].append(msg)
        return msg

    # -- methods -----------------------------------------------------------------------------
    def _m_auth_test(self, args: dict[str, Any], team: str) -> Answer:
        return {
            "ok": True,
            "url": f"https://{team.lower()}.slack.test/",
            "team": f"Team {team}",
            "user": "aidigest",
            "team_id": team,
            "user_id": f"U{team}BOT",
            "bot_id": f"B{team}",
            "is_enterprise_install": False,
        }

    def _m_chat_postMessage(self, args: dict[str, Any], team: str) -> Answer:
        ch = self.usable(args.get("channel"), team, posting=True)
        if not isinstance(ch, Channel):
            return ch
        text, blocks = args.get("text"), args.get("blocks")
        if refused := message_refusal(text, blocks):
            return refused
        if (bad := self._bad_slack_files(blocks or [], ch.id)) is not None:
            return bad
        meta = args.get("metadata")
        if meta is not None and not (
            isinstance(meta, dict)
            and isinstance(meta.get("event_type"), str)
            and isinstance(meta.get("event_payload"), dict)
        ):
            return {"ok": False, "error": "invalid_metadata_format"}
        thread = args.get("thread_ts")
        if thread and not any(m["ts"] == thread for m in self.messages[ch.id]):
            return {"ok": False, "error": "thread_not_found"}
        msg = self._store(ch.id, team, text=text, blocks=blocks, thread_ts=thread, metadata=meta)
        return {"ok": True, "channel": ch.id, "ts": msg["ts"], "message": msg}

    def _bad_slack_files(self, blocks: list[dict[str, Any]], channel: str) -> Answer | None:
        """Slack files are checked by slack_files.py (no files, no slack_file blocks here)."""
        return None

    def _m_chat_postEphemeral(self, args: dict[str, Any], team: str) -> Answer:
        ch = self.usable(args.get("channel"), team)
        if not isinstance(ch, Channel):
            return ch
        if (user := self.users.get(str(args.get("user")))) is None or user["team_id"] != team:
            return {"ok": False, "error": "user_not_in_channel"}
        if refused := message_refusal(args.get("text"), args.get("blocks")):
            return refused
        ts = self._ts()
        shown = {"ts": ts, "channel": ch.id, "user": user["id"], "text": args.get("text")}
        self.ephemerals.append({**shown, "blocks": args.get("blocks")})
        return {"ok": True, "message_ts": ts}

    def _m_chat_update(self, args: dict[str, Any], team: str) -> Answer:
        ch = self.usable(args.get("channel"), team)
        if not isinstance(ch, Channel):
            return ch
        if refused := message_refusal(args.get("text"), args.get("blocks")):
            return refused
        for m in self.messages.get(ch.id, []):
            if m["ts"] == args.get("ts"):
                m.update({k: args[k] for k in ("text", "blocks") if k in args})
                return {"ok": True, "channel": ch.id, "ts": m["ts"]}
        return {"ok": False, "error": "message_not_found"}

    def _m_chat_delete(self, args: dict[str, Any], team: str) -> Answer:
        ch = self.usable(args.get("channel"), team)
        if not isinstance(ch, Channel):
            return ch
        msgs = self.messages.get(ch.id, [])
        keep = [m for m in msgs if m["ts"] != args.get("ts")]
        if len(keep) == len(msgs):
            return {"ok": False, "error": "message_not_found"}
        self.messages[ch.id] = keep
        return {"ok": True, "channel": ch.id, "ts": args["ts"]}

    def _m_conversations_history(self, args: dict[str, Any], team: str) -> Answer:
        ch = self.usable(args.get("channel"), team, member=True)
        if not isinstance(ch, Channel):
            return ch
        msgs = [m for m in self.messages.get(ch.id, []) if m.get("thread_ts") in (None, m["ts"])]
        oldest = float(args.get("oldest") or 0)
        msgs = [_shown(m, args) for m in reversed(msgs) if float(m["ts"]) >= oldest]
        return {"ok": True, "messages": msgs[: int(args.get("limit") or 100)], "has_more": False}

    def _m_conversations_replies(self, args: dict[str, Any], team: str) -> Answer:
        ch = self.usable(args.get("channel"), team, member=True)
        if not isinstance(ch, Channel):
            return ch
        ts = args.get("ts")
        msgs = [
            _shown(m, args)
            for m in self.messages.get(ch.id, [])
            if m["ts"] == ts or m.get("thread_ts") == ts
        ]
        if not msgs:
            return {"ok": False, "error": "thread_not_found"}
        return {"ok": True, "messages": msgs, "has_more": False}

    def _m_conversations_info(self, args: dict[str, Any], team: str) -> Answer:
        ch = self.usable(args.get("channel"), team)
        if not isinstance(ch, Channel):
            return ch
        info = {"id": ch.id, "name": ch.id.lower(), "is_private": ch.private}
        return {"ok": True, "channel": {**info, "is_member": ch.member, "is_archived": ch.archived}}

    def _m_conversations_join(self, args: dict[str, Any], team: str) -> Answer:
        ch = self.usable(args.get("channel"), team, posting=True)
        if not isinstance(ch, Channel):
            return ch
        ch.member = True
        return self._m_conversations_info(args, team)

    def _m_users_info(self, args: dict[str, Any], team: str) -> Answer:
        user = self.users.get(str(args.get("user")))
        if user is None or user["team_id"] != team:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user}

    def _m_apps_connections_open(self, args: dict[str, Any], team: str) -> Answer:
        return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}


def _shown(m: dict[str, Any], args: dict[str, Any]) -> dict[str, Any]:
    keep_meta = str(args.get("include_all_metadata")).lower() in ("1", "true")
    return m if keep_meta else {k: v for k, v in m.items() if k != "metadata"}
