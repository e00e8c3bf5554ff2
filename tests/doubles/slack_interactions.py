"""What users do in Slack, as the stand-in sees it: response_urls, ephemeral messages, and the
interaction payloads (block_actions, view_submission) Slack would send when a button is pressed
or a modal submitted.

A response_url works 5 times within 30 minutes (Slack: "up to 5 times within 30 minutes"); past
that it answers 404 `used_url` / `expired_url`. A message to it is checked like chat.postMessage
(400 and the error as text, as Slack's webhooks answer). `replace_original` / `delete_original`
act on the message the URL belongs to: the command's reply, or the message whose button was
pressed. Payloads are built only from what Slack really shows: `press` finds the button in the
message or view, `submission` checks the values against the modal's inputs, as Slack's client
would (a required input left empty is never submitted).

The HTTP answer to a slash command (its ack) is checked like a message too: Slack refuses an
ack it cannot show (too many blocks, too much block text, invalid Block Kit) and shows the user
an error instead ("/aidigest failed with the error …"); the stand-in records that refusal in
`ack_refusals`, shows nothing, and the test harness fails the command with it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from tests.doubles.slack_rules import message_refusal
from tests.doubles.slack_views import Surfaces

RESPONSE_USES = 5
RESPONSE_LIFE = 30 * 60.0
APP_ID = "A0AIDIGEST"


@dataclass
class ResponseUrl:
    team: str
    channel: str
    user: str
    issued: float
    original: str | None  # ts of the message it may replace or delete
    uses: int = 0


class Interactions(Surfaces):
    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.response_life = RESPONSE_LIFE
        self.response_urls: dict[str, ResponseUrl] = {}
        self.responses: list[dict[str, Any]] = []  # bodies accepted on response_urls
        self.ack_refusals: list[str] = []  # acks Slack could not show: the error it showed instead
        self.response_answers: list[tuple[str, int, str]] = []  # every POST: (rid, status, text)

    def response_url(
        self, *, team: str = "T1", channel: str = "C1", user: str = "U1", original: str = ""
    ) -> str:
        rid = f"R{next(self._seq):08d}"
        issued = time.monotonic()
        self.response_urls[rid] = ResponseUrl(team, channel, user, issued, original or None)
        return f"{self.url}/response/{rid}"

    def acked(self, response_url: str, body: dict[str, Any]) -> str:
        """The HTTP answer to a command: Slack shows it as the command's reply. Returns its ts,
        or "" when Slack would refuse it (the error is appended to `ack_refusals`)."""
        r = self.response_urls[response_url.rsplit("/", 1)[-1]]
        if refused := message_refusal(body.get("text"), body.get("blocks")):
            self.ack_refusals.append(str(refused["error"]))
            return ""
        shown = self._show(r, body)
        r.original = shown["ts"]
        return str(shown["ts"])

    def shown(self, ts: str) -> dict[str, Any] | None:
        """The message (ephemeral or in a channel) with this ts, as it reads now."""
        for m in self.ephemerals:
            if m["ts"] == ts:
                return m
        return next((m for ms in self.messages.values() for m in ms if m["ts"] == ts), None)

    def respond(self, rid: str, body: dict[str, Any], at: float = 0.0) -> tuple[int, str]:
        """Slack's answer to a POST on a response_url (that arrived at time.monotonic() `at`)."""
        status, text = self._respond(rid, body, at)
        self.response_answers.append((rid, status, text))
        return status, text

    def _respond(self, rid: str, body: dict[str, Any], at: float) -> tuple[int, str]:
        r = self.response_urls.get(rid)
        if r is None:
            return 404, "invalid_url"
        if time.monotonic() - r.issued > self.response_life:
            return 404, "expired_url"
        if r.uses >= RESPONSE_USES:
            return 404, "used_url"
        r.uses += 1
        if body.get("delete_original"):
            return self._delete(r)
        if refused := message_refusal(body.get("text"), body.get("blocks")):
            return 400, str(refused["error"])
        self.responses.append({"rid": rid, "at": at or time.monotonic(), **body})
        if body.get("replace_original") and r.original:
            old = self.shown(r.original)
            if old is None:
                return 404, "message_not_found"
            old.update({"text": body.get("text"), "blocks": body.get("blocks")})
            return 200, "ok"
        self._show(r, body)
        return 200, "ok"

    def _show(self, r: ResponseUrl, body: dict[str, Any]) -> dict[str, Any]:
        fields = {"text": body.get("text"), "blocks": body.get("blocks")}
        if body.get("response_type") == "in_channel":
            return self._store(r.channel, r.team, **fields)
        shown = {"ts": self._ts(), "channel": r.channel, "user": r.user, **fields}
        self.ephemerals.append(shown)
        return shown

    def _delete(self, r: ResponseUrl) -> tuple[int, str]:
        before = len(self.ephemerals)
        self.ephemerals = [m for m in self.ephemerals if m["ts"] != r.original]
        for ch, msgs in self.messages.items():
            self.messages[ch] = [m for m in msgs if m["ts"] != r.original]
        return (200, "ok") if r.original and len(self.ephemerals) <= before else (404, "")

    # -- payloads Slack sends ----------------------------------------------------------------
    def press(
        self,
        where: str,
        action_id: str,
        *,
        value: str | None = None,
        option: str | None = None,
        user: str = "U1",
        team: str = "T1",
    ) -> dict[str, Any]:
        """block_actions for pressing a button (or choosing `option` of a select or menu) whose
        action_id is `action_id` or starts with it and a dot (and with that value), in the
        message with ts `where`, or the view with id `where`."""
        view = self.views.get(where)
        message = None if view else self.shown(where)
        blocks = (view.view if view else message or {}).get("blocks") or []
        found = _find(blocks, action_id, value)
        if found is None:
            raise LookupError(f"no element {action_id!r} (value {value!r}) shown in {where}")
        block_id, el = found
        action: dict[str, Any] = {
            "type": el["type"],
            "action_id": el["action_id"],
            "block_id": block_id,
            "action_ts": f"{time.time():.6f}",
        }
        if el["type"] == "button":
            action |= {"text": el["text"]} | ({"value": el["value"]} if "value" in el else {})
        else:
            chosen = [o for o in el.get("options") or [] if o["value"] == option]
            if not chosen:
                raise LookupError(f"{action_id!r} has no option {option!r}")
            action["selected_option"] = chosen[0]
        payload = self._base("block_actions", team, user) | {"actions": [action]}
        if view is not None:
            state = {"values": {}}
            payload |= {"container": {"type": "view", "view_id": view.id}}
            payload |= {"view": {**view.view, "id": view.id, "hash": view.hash, "state": state}}
            return payload
        assert message is not None, f"nothing shown with ts {where}"
        channel = str(message.get("channel") or self._channel_of(where))
        ephemeral = message in self.ephemerals
        payload |= {
            "container": {
                "type": "message",
                "message_ts": where,
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            },
            "channel": {"id": channel, "name": channel.lower()},
            "response_url": self.response_url(
                team=team, channel=channel, user=user, original=where
            ),
        }
        return payload if ephemeral else payload | {"message": message}

    def _channel_of(self, ts: str) -> str:
        return next(ch for ch, ms in self.messages.items() if any(m["ts"] == ts for m in ms))

    def _base(self, kind: str, team: str, user: str) -> dict[str, Any]:
        return {
            "type": kind,
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team},
            "api_app_id": APP_ID,
            "token": "legacy",
            "trigger_id": self.issue_trigger(team, user),
            "team": {"id": team, "domain": team.lower()},
            "enterprise": None,
            "is_enterprise_install": False,
        }


def _find(
    blocks: list[dict[str, Any]], action_id: str, value: str | None
) -> tuple[str, dict[str, Any]] | None:
    for b in blocks:
        elements = list(b.get("elements") or [])
        if "accessory" in b:
            elements.append(b["accessory"])
        for el in elements:
            aid = str(el.get("action_id") or "")
            named = aid == action_id or aid.startswith(action_id + ".")
            if named and (value is None or el.get("value") == value):
                return str(b.get("block_id") or ""), el
    return None
