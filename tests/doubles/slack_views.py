"""Views in the Slack stand-in: the App Home tab (views.publish) and modals (views.open, views.
update, views.push), checked like Slack (tests/doubles/slack_blockkit.py view_errors), and the
trigger_ids that open modals.

A trigger_id comes with a slash command or an interaction, works once (exchanged_trigger_id) and
for 3 seconds (expired_trigger_id). A view over 250 kB is view_too_large; a stale `hash` is
hash_conflict; publishing a Home tab needs it enabled (`home_enabled`, manifest's
app_home.home_tab_enabled) else not_enabled. A modal stack holds at most 3 views.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from tests.doubles.slack_blockkit import view_errors
from tests.doubles.slack_files import FileStore
from tests.doubles.slack_workspace import Answer

TRIGGER_LIFE = 3.0
MAX_VIEW_BYTES = 250_000
MAX_STACK = 3


@dataclass
class OpenView:
    id: str
    team: str
    user: str
    view: dict[str, Any]
    hash: str
    errors: dict[str, str] = field(default_factory=dict)  # block_id -> error shown by Slack
    closed: bool = False


class Surfaces(FileStore):
    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.home_enabled = True
        self.views: dict[str, OpenView] = {}
        self.homes: dict[tuple[str, str], str] = {}  # (team, user) -> view id
        self.stacks: dict[tuple[str, str], list[str]] = {}  # (team, user) -> open modals
        self._triggers: dict[str, tuple[float, str, str]] = {}  # id -> (issued, team, user)
        self._used_triggers: set[str] = set()

    # -- for the interactions Slack sends --------------------------------------------------
    def issue_trigger(self, team: str, user: str) -> str:
        tid = f"{next(self._seq)}.{int(time.time())}.{next(self._seq):06x}"
        self._triggers[tid] = (time.monotonic(), team, user)
        return tid

    def home(self, team: str, user: str) -> dict[str, Any] | None:
        """The Home tab `user` sees now."""
        vid = self.homes.get((team, user))
        return self.views[vid].view if vid else None

    def modal(self, team: str, user: str) -> OpenView | None:
        """The modal on top of `user`'s stack, if one is open."""
        stack = self.stacks.get((team, user)) or []
        return self.views[stack[-1]] if stack else None

    def close_modal(self, view_id: str, *, all_: bool = False) -> None:
        v = self.views[view_id]
        stack = self.stacks.get((v.team, v.user)) or []
        for vid in list(stack) if all_ else [view_id]:
            if vid in stack:
                stack.remove(vid)
                self.views[vid].closed = True

    # -- checks ----------------------------------------------------------------------------
    def _trigger(self, args: dict[str, Any], team: str) -> tuple[str, Answer | None]:
        tid = str(args.get("trigger_id") or "")
        got = self._triggers.get(tid)
        if got is None or got[1] != team:
            return "", {"ok": False, "error": "invalid_trigger_id"}
        if tid in self._used_triggers:
            return "", {"ok": False, "error": "exchanged_trigger_id"}
        if time.monotonic() - got[0] > TRIGGER_LIFE:
            return "", {"ok": False, "error": "expired_trigger_id"}
        self._used_triggers.add(tid)
        return got[2], None

    def _view_arg(self, args: dict[str, Any]) -> tuple[dict[str, Any], Answer | None]:
        view = args.get("view")
        if isinstance(view, str):
            try:
                view = json.loads(view)
            except ValueError:
                return {}, {"ok": False, "error": "invalid_arguments"}
        if len(json.dumps(view)) > MAX_VIEW_BYTES:
            return {}, {"ok": False, "error": "view_too_large"}
        if errors := view_errors(view):
            meta = {"messages": [f"[ERROR] {e}" for e in errors]}
            return {}, {"ok": False, "error": "invalid_arguments", "response_metadata": meta}
        return view, None

    def _triggered_view(
        self, args: dict[str, Any], team: str
    ) -> tuple[str, dict[str, Any], Answer | None]:
        """views.open's and views.push's user and view: the trigger is checked (and used up)
        first, then the view."""
        user, refused = self._trigger(args, team)
        if refused:
            return "", {}, refused
        view, refused = self._view_arg(args)
        return user, view, refused

    def _shown(self, v: OpenView) -> Answer:
        body = {"id": v.id, "team_id": v.team, "hash": v.hash, "state": {"values": {}}}
        return {"ok": True, "view": {**v.view, **body}}

    def _new_view(self, team: str, user: str, view: dict[str, Any]) -> OpenView:
        vid = f"V{next(self._seq):08d}"
        self.views[vid] = OpenView(vid, team, user, view, f"{time.time():.6f}")
        return self.views[vid]

    # -- methods ---------------------------------------------------------------------------
    def _m_views_publish(self, args: dict[str, Any], team: str) -> Answer:
        user = self.users.get(str(args.get("user_id")))
        if user is None or user["team_id"] != team:
            return {"ok": False, "error": "user_not_found"}
        view, refused = self._view_arg(args)
        if refused:
            return refused
        if view.get("type") != "home":
            return {"ok": False, "error": "invalid_arguments"}
        if not self.home_enabled:
            return {"ok": False, "error": "not_enabled"}
        vid = self.homes.get((team, user["id"]))
        if vid is None:
            v = self._new_view(team, user["id"], view)
            self.homes[(team, user["id"])] = v.id
            return self._shown(v)
        v = self.views[vid]
        if args.get("hash") and args["hash"] != v.hash:
            return {"ok": False, "error": "hash_conflict"}
        v.view, v.hash = view, f"{time.time():.6f}"
        return self._shown(v)

    def _m_views_open(self, args: dict[str, Any], team: str) -> Answer:
        user, view, refused = self._triggered_view(args, team)
        if refused:
            return refused
        if view.get("type") != "modal":
            return {"ok": False, "error": "invalid_arguments"}
        v = self._new_view(team, user, view)
        for old in self.stacks.get((team, user), []):
            self.views[old].closed = True
        self.stacks[(team, user)] = [v.id]
        return self._shown(v)

    def _m_views_push(self, args: dict[str, Any], team: str) -> Answer:
        user, view, refused = self._triggered_view(args, team)
        if refused:
            return refused
        stack = self.stacks.get((team, user)) or []
        if not stack:
            return {"ok": False, "error": "not_found"}
        if len(stack) >= MAX_STACK:
            return {"ok": False, "error": "push_limit_reached"}
        v = self._new_view(team, user, view)
        stack.append(v.id)
        return self._shown(v)

    def _m_views_update(self, args: dict[str, Any], team: str) -> Answer:
        v = self.views.get(str(args.get("view_id")))
        if v is None or v.team != team or v.closed:
            return {"ok": False, "error": "not_found"}
        view, refused = self._view_arg(args)
        if refused:
            return refused
        if view.get("type") != v.view.get("type"):
            return {"ok": False, "error": "invalid_arguments"}
        if args.get("hash") and args["hash"] != v.hash:
            return {"ok": False, "error": "hash_conflict"}
        v.view, v.hash, v.errors = view, f"{time.time():.6f}", {}
        return self._shown(v)
