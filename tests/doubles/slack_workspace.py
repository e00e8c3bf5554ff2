"""The Slack workspace a stand-in serves: channels' messages, files, users, and the Web API
methods that read and change them (`_m_chat_postMessage` answers chat.postMessage, …).

tests/doubles/slack_api.py puts it behind HTTP, with rate limits and faults.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from tests.doubles.slack_rules import MAX_MESSAGE_TEXT, block_errors


@dataclass
class StoredFile:
    id: str
    name: str
    length: int
    data: bytes | None = None
    title: str = ""
    complete: bool = False
    shares: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # channel -> [{ts}]


class Workspace:
    url = ""  # where the server listens (upload URLs point there)
    port = 0

    def __init__(self) -> None:
        self.messages: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.files: dict[str, StoredFile] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.archived: set[str] = set()  # channels that refuse posts (is_archived)
        self.outside: set[str] = set()  # public channels the bot has not joined
        self.private: set[str] = set()  # channels only an invitation opens
        self._seq = itertools.count(1)

    def add_user(self, user_id: str, *, admin: bool = False, owner: bool = False) -> None:
        self.users[user_id] = {
            "id": user_id,
            "name": user_id.lower(),
            "is_admin": admin,
            "is_owner": owner,
            "is_primary_owner": False,
            "is_bot": False,
        }

    def posts(self, channel: str) -> list[dict[str, Any]]:
        return list(self.messages.get(channel, []))

    def _ts(self) -> str:
        return f"{int(time.time())}.{next(self._seq):06d}"

    def _m_auth_test(self, args: dict[str, Any], team: str) -> dict[str, Any]:
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

    def _m_chat_postMessage(self, args: dict[str, Any], team: str) -> dict[str, Any]:
        channel, text, blocks = args.get("channel"), args.get("text"), args.get("blocks")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if channel in self.archived:
            return {"ok": False, "error": "is_archived"}
        if channel in self.private:
            return {"ok": False, "error": "not_in_channel"}
        if not text and not blocks:
            return {"ok": False, "error": "no_text"}
        if text and len(str(text)) > MAX_MESSAGE_TEXT:
            return {"ok": False, "error": "msg_too_long"}
        if blocks is not None and (errors := block_errors(blocks)):
            return {"ok": False, "error": "invalid_blocks", "errors": errors}
        if blocks and (bad := self._bad_slack_files(blocks)):
            return {"ok": False, "error": "invalid_blocks", "errors": bad}
        thread = args.get("thread_ts")
        if thread and not any(m["ts"] == thread for m in self.messages[str(channel)]):
            return {"ok": False, "error": "thread_not_found"}
        msg = self._store(
            str(channel),
            team,
            text=text,
            blocks=blocks,
            thread_ts=thread,
            metadata=args.get("metadata"),
        )
        return {"ok": True, "channel": channel, "ts": msg["ts"], "message": msg}

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

    def _bad_slack_files(self, blocks: list[dict[str, Any]]) -> list[str]:
        out = []
        for i, b in enumerate(blocks):
            fid = (b.get("slack_file") or {}).get("id") if isinstance(b, dict) else None
            if fid and not (fid in self.files and self.files[fid].complete):
                out.append(f"invalid slack file [json-pointer:/blocks/{i}/slack_file]")
        return out

    def _m_chat_postEphemeral(self, args: dict[str, Any], team: str) -> dict[str, Any]:
        return {"ok": True, "message_ts": self._ts()}

    def _m_chat_update(self, args: dict[str, Any], team: str) -> dict[str, Any]:
        for m in self.messages.get(str(args.get("channel")), []):
            if m["ts"] == args.get("ts"):
                m.update({k: args[k] for k in ("text", "blocks") if k in args})
                return {"ok": True, "channel": args["channel"], "ts": m["ts"]}
        return {"ok": False, "error": "message_not_found"}

    def _m_chat_delete(self, args: dict[str, Any], team: str) -> dict[str, Any]:
        msgs = self.messages.get(str(args.get("channel")), [])
        keep = [m for m in msgs if m["ts"] != args.get("ts")]
        if len(keep) == len(msgs):
            return {"ok": False, "error": "message_not_found"}
        self.messages[str(args["channel"])] = keep
        return {"ok": True, "channel": args["channel"], "ts": args["ts"]}

    def _m_conversations_history(self, args: dict[str, Any], team: str) -> dict[str, Any]:
        msgs = [
            m
            for m in self.messages.get(str(args.get("channel")), [])
            if m.get("thread_ts") in (None, m["ts"])
        ]
        oldest = float(args.get("oldest") or 0)
        msgs = [_shown(m, args) for m in reversed(msgs) if float(m["ts"]) >= oldest]
        return {"ok": True, "messages": msgs[: int(args.get("limit") or 100)], "has_more": False}

    def _m_conversations_replies(self, args: dict[str, Any], team: str) -> dict[str, Any]:
        ts = args.get("ts")
        msgs = [
            _shown(m, args)
            for m in self.messages.get(str(args.get("channel")), [])
            if m["ts"] == ts or m.get("thread_ts") == ts
        ]
        if not msgs:
            return {"ok": False, "error": "thread_not_found"}
        return {"ok": True, "messages": msgs, "has_more": False}

    def _m_conversations_info(self, args: dict[str, Any], team: str) -> dict[str, Any]:
        cid = str(args.get("channel"))
        member = cid not in self.outside | self.private
        return {"ok": True, "channel": {"id": cid, "name": cid.lower(), "is_member": member}}

    def _m_conversations_join(self, args: dict[str, Any], team: str) -> dict[str, Any]:
        if args.get("channel") in self.private:
            return {"ok": False, "error": "method_not_supported_for_channel_type"}
        self.outside.discard(str(args.get("channel")))
        return self._m_conversations_info(args, team)

    def _m_users_info(self, args: dict[str, Any], team: str) -> dict[str, Any]:
        user = self.users.get(str(args.get("user")))
        return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}

    def _m_files_getUploadURLExternal(self, args: dict[str, Any], team: str) -> dict[str, Any]:
        if not args.get("filename") or not str(args.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        f = StoredFile(f"F{next(self._seq):08d}", str(args["filename"]), int(args["length"]))
        self.files[f.id] = f
        return {"ok": True, "upload_url": f"{self.url}/upload/{f.id}", "file_id": f.id}

    def _m_files_completeUploadExternal(self, args: dict[str, Any], team: str) -> dict[str, Any]:
        wanted = args.get("files") or []
        found = [self.files.get(str(w.get("id"))) for w in wanted]
        if not wanted or any(f is None or f.data is None or f.complete for f in found):
            return {"ok": False, "error": "file_not_found"}
        if (blocks := args.get("blocks")) is not None and (errors := block_errors(blocks)):
            return {"ok": False, "error": "invalid_blocks", "errors": errors}
        if args.get("channel_id") in self.archived:
            return {"ok": False, "error": "is_archived"}
        if args.get("channel_id") in self.outside | self.private:
            return {"ok": False, "error": "not_in_channel"}
        files = [f for f in found if f is not None]
        for f, w in zip(files, wanted, strict=True):
            f.complete, f.title = True, str(w.get("title") or f.name)
        channel = args.get("channel_id")
        if channel:
            comment = args.get("initial_comment")
            msg = self._store(
                str(channel),
                team,
                text=comment or "",
                files=[_file(f) for f in files],
                blocks=None if comment else blocks,
                thread_ts=args.get("thread_ts"),
            )
            for f in files:
                f.shares.setdefault(str(channel), []).append({"ts": msg["ts"]})
        return {"ok": True, "files": [_file(f) for f in files]}

    def _m_files_info(self, args: dict[str, Any], team: str) -> dict[str, Any]:
        f = self.files.get(str(args.get("file")))
        return {"ok": True, "file": _file(f)} if f else {"ok": False, "error": "file_not_found"}

    def _m_files_list(self, args: dict[str, Any], team: str) -> dict[str, Any]:
        ch = args.get("channel")
        files = [_file(f) for f in self.files.values() if f.complete and (not ch or ch in f.shares)]
        return {"ok": True, "files": files}

    def _m_oauth_v2_access(self, args: dict[str, Any], team: str) -> dict[str, Any]:
        code = str(args.get("code") or "")
        if not code.startswith("code-T"):
            return {"ok": False, "error": "invalid_code"}
        t = code.removeprefix("code-")
        return {
            "ok": True,
            "app_id": "A0AIDIGEST",
            "authed_user": {"id": f"U{t}ADMIN"},
            "scope": "commands,chat:write",
            "token_type": "bot",
            "access_token": f"xoxb-{t}-{next(self._seq)}",
            "bot_user_id": f"U{t}BOT",
            "team": {"id": t, "name": f"Team {t}"},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _m_apps_connections_open(self, args: dict[str, Any], team: str) -> dict[str, Any]:
        return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}


def _shown(m: dict[str, Any], args: dict[str, Any]) -> dict[str, Any]:
    keep_meta = str(args.get("include_all_metadata")).lower() in ("1", "true")
    return m if keep_meta else {k: v for k, v in m.items() if k != "metadata"}


def _file(f: StoredFile) -> dict[str, Any]:
    return {
        "id": f.id,
        "name": f.name,
        "title": f.title,
        "size": f.length,
        "mimetype": "image/png",
        "shares": {"public": f.shares},
    }
