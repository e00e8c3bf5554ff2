"""Files in the Slack stand-in: the three-step upload, shares that appear asynchronously, and
image blocks that show a Slack file.

1. files.getUploadURLExternal(filename, length) hands out an upload URL and a file id;
2. the bytes are POSTed to that URL (exactly `length` of them);
3. files.completeUploadExternal(files, channel_id, blocks) completes the files once and answers
   with their ids and titles only: as in Slack, the share into the channel happens afterwards
   (after `share_delay` seconds), so the share's message and `shares` in files.info show up
   later and a client must ask files.info until they do.

A file uploaded and never completed is an orphan (`orphans()`); files.delete removes one.
An image block's `slack_file` must name a complete file shared into that channel (Slack:
"invalid slack file"). oauth.v2.access, the OAuth code exchange, lives here too: it mints tokens.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from tests.doubles.slack_rules import message_refusal
from tests.doubles.slack_workspace import Answer, Channel, Workspace

MAX_ALT_TEXT = 1000


@dataclass
class StoredFile:
    id: str
    team: str
    name: str
    length: int
    data: bytes | None = None
    title: str = ""
    complete: bool = False
    deleted: bool = False
    shares: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # channel -> [{ts}]


@dataclass
class PendingShare:
    due: float  # time.monotonic() when it shows
    channel: str
    team: str
    files: list[StoredFile]
    fields: dict[str, Any]


class FileStore(Workspace):
    def __init__(self, *, share_delay: float = 0.2) -> None:
        super().__init__()
        self.share_delay = share_delay
        self.files: dict[str, StoredFile] = {}
        self._pending: list[PendingShare] = []

    def orphans(self) -> list[StoredFile]:
        """Files uploaded but never completed nor deleted."""
        files = self.files.values()
        return [f for f in files if f.data is not None and not f.complete and not f.deleted]

    def settle(self) -> None:
        now = time.monotonic()
        due = [p for p in self._pending if p.due <= now]
        self._pending = [p for p in self._pending if p.due > now]
        for p in due:
            msg = self._store(p.channel, p.team, files=[self._file(f) for f in p.files], **p.fields)
            for f in p.files:
                f.shares.setdefault(p.channel, []).append({"ts": msg["ts"]})

    def _bad_slack_files(self, blocks: list[dict[str, Any]], channel: str) -> Answer | None:
        self.settle()
        errors = []
        for i, b in enumerate(blocks):
            fid = (b.get("slack_file") or {}).get("id") if isinstance(b, dict) else None
            f = self.files.get(str(fid)) if fid else None
            if fid and (f is None or f.deleted or channel not in f.shares):
                errors.append(f"invalid slack file [json-pointer:/blocks/{i}/slack_file]")
        return {"ok": False, "error": "invalid_blocks", "errors": errors} if errors else None

    def upload(self, file_id: str, data: bytes) -> bool:
        """Step 2: the bytes of an upload URL's file; False when Slack would refuse them."""
        f = self.files.get(file_id)
        if f is None or f.complete or f.deleted or len(data) != f.length:
            return False
        f.data = data
        return True

    def _m_files_getUploadURLExternal(self, args: dict[str, Any], team: str) -> Answer:
        if not args.get("filename") or not str(args.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        if len(str(args.get("alt_txt") or "")) > MAX_ALT_TEXT:
            return {"ok": False, "error": "alt_txt_too_large"}
        fid = f"F{next(self._seq):08d}"
        self.files[fid] = StoredFile(fid, team, str(args["filename"]), int(args["length"]))
        return {"ok": True, "upload_url": f"{self.url}/upload/{fid}", "file_id": fid}

    def _m_files_completeUploadExternal(self, args: dict[str, Any], team: str) -> Answer:
        wanted = args.get("files") or []
        found = [self.files.get(str(w.get("id"))) for w in wanted if isinstance(w, dict)]
        files = [f for f in found if f and f.team == team and f.data is not None]
        if not wanted or len(files) != len(wanted) or any(f.complete or f.deleted for f in files):
            return {"ok": False, "error": "file_not_found"}
        cid = args.get("channel_id")
        if cid:
            ch = self.usable(cid, team, posting=True, member=True)
            if not isinstance(ch, Channel):
                return ch
        comment, blocks = args.get("initial_comment"), args.get("blocks")
        if blocks is not None and (refused := message_refusal(comment or "", blocks)):
            return {**refused, "error": "invalid_blocks"} if "errors" in refused else refused
        thread = args.get("thread_ts")
        if cid and thread and not any(m["ts"] == thread for m in self.messages[str(cid)]):
            return {"ok": False, "error": "thread_not_found"}
        for f, w in zip(files, wanted, strict=True):
            f.complete, f.title = True, str(w.get("title") or f.name)
        if cid:
            fields = {
                "text": comment or "",
                "blocks": None if comment else blocks,
                "thread_ts": thread,
            }
            due = time.monotonic() + self.share_delay
            self._pending.append(PendingShare(due, str(cid), team, files, fields))
        return {"ok": True, "files": [{"id": f.id, "title": f.title} for f in files]}

    def _file_of(self, args: dict[str, Any], team: str) -> StoredFile | Answer:
        self.settle()
        f = self.files.get(str(args.get("file")))
        if f is None or f.team != team or not f.complete:
            return {"ok": False, "error": "file_not_found"}
        return {"ok": False, "error": "file_deleted"} if f.deleted else f

    def _m_files_info(self, args: dict[str, Any], team: str) -> Answer:
        f = self._file_of(args, team)
        return {"ok": True, "file": self._file(f)} if isinstance(f, StoredFile) else f

    def _m_files_delete(self, args: dict[str, Any], team: str) -> Answer:
        f = self.files.get(str(args.get("file")))
        if f is None or f.team != team:
            return {"ok": False, "error": "file_not_found"}
        if f.deleted:
            return {"ok": False, "error": "file_deleted"}
        f.deleted, f.data = True, None
        return {"ok": True}

    def _m_files_list(self, args: dict[str, Any], team: str) -> Answer:
        self.settle()
        ch = args.get("channel")
        files = [
            self._file(f)
            for f in self.files.values()
            if f.team == team and f.complete and not f.deleted and (not ch or ch in f.shares)
        ]
        return {"ok": True, "files": files[: int(args.get("count") or 100)]}

    def _file(self, f: StoredFile) -> dict[str, Any]:
        """A file object; its shares under "public" or "private" by the channel's kind."""
        shares: dict[str, dict[str, list[dict[str, str]]]] = {}
        for cid, where in f.shares.items():
            ch = self.channels.get(cid)
            shares.setdefault("private" if ch and ch.private else "public", {})[cid] = where
        return {
            "id": f.id,
            "name": f.name,
            "title": f.title,
            "size": f.length,
            "mimetype": "image/png",
            "shares": shares,
        }

    def _m_oauth_v2_access(self, args: dict[str, Any], team: str) -> Answer:
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
            "access_token": self.grant(team=t),
            "bot_user_id": f"U{t}BOT",
            "team": {"id": t, "name": f"Team {t}"},
            "enterprise": None,
            "is_enterprise_install": False,
        }
