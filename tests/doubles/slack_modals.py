"""A modal's submission, as Slack's client makes it and as Slack takes the app's answer.

`submission` turns what a user entered (block_id -> text, option value(s), time, channel) into
a view_submission payload with the view's `state.values`, refusing what the client would never
send: a value for no input, an option that is not offered, a required input left empty, text
shorter or longer than the input allows. `take_answer` applies the app's HTTP answer to that
submission the way Slack does: nothing closes the modal; `response_action` "errors" (keyed by
input block_ids of the view) shows them; "update"/"push" show a new view (checked like any
view); "clear" closes every modal of the stack. Anything else is what Slack shows as "We had
some trouble connecting": the answer is "refused".
"""

from __future__ import annotations

import time
from typing import Any

from tests.doubles.slack_blockkit import view_errors
from tests.doubles.slack_interactions import Interactions
from tests.doubles.slack_views import OpenView

Entered = str | list[str]


def submission(api: Interactions, view_id: str, entered: dict[str, Entered]) -> dict[str, Any]:
    v = api.views[view_id]
    if v.closed or v.view.get("type") != "modal":
        raise LookupError(f"{view_id} is not an open modal")
    inputs = {b.get("block_id"): b for b in v.view["blocks"] if b.get("type") == "input"}
    unknown = set(entered) - set(inputs)
    if unknown:
        raise LookupError(f"no input block {sorted(unknown)} in the modal")
    values: dict[str, Any] = {}
    for bid, block in inputs.items():
        el = block["element"]
        got = entered.get(str(bid))
        if got in (None, "", []):
            if not block.get("optional"):
                raise ValueError(f"Slack would not submit: {bid} is required")
            got = None
        values[str(bid)] = {el["action_id"]: _state(el, got)}
    payload = api._base("view_submission", v.team, v.user)
    state = {"values": values}
    payload["view"] = {**v.view, "id": v.id, "hash": v.hash, "state": state}
    payload["response_urls"] = []
    return payload


def _state(el: dict[str, Any], got: Entered | None) -> dict[str, Any]:
    kind = el["type"]
    out: dict[str, Any] = {"type": kind}
    if kind == "plain_text_input":
        text = got if isinstance(got, str) else None
        n = len(text or "")
        if text is not None and not el.get("min_length", 0) <= n <= el.get("max_length", 3000):
            raise ValueError(f"Slack would not submit {n} characters to {el['action_id']}")
        return out | {"value": text}
    if kind == "timepicker":
        return out | {"selected_time": got}
    if kind == "conversations_select":
        return out | {"selected_conversation": got}
    if kind == "channels_select":
        return out | {"selected_channel": got}
    offered = {o["value"]: o for o in _options(el)}
    wanted = [] if got is None else [got] if isinstance(got, str) else list(got)
    if missing := [w for w in wanted if w not in offered]:
        raise ValueError(f"{el['action_id']} offers no {missing}")
    if kind in ("static_select", "radio_buttons"):
        return out | {"selected_option": offered[wanted[0]] if wanted else None}
    return out | {"selected_options": [offered[w] for w in wanted]}


def _options(el: dict[str, Any]) -> list[dict[str, Any]]:
    groups = el.get("option_groups") or []
    return list(el.get("options") or []) + [o for g in groups for o in g["options"]]


def take_answer(api: Interactions, view_id: str, status: int, body: Any) -> str:
    """What the user sees after the app answered a submission: closed, errors, updated,
    pushed, cleared, or refused (the modal stays, with Slack's own error)."""
    v = api.views[view_id]
    if status != 200:
        return "refused"
    if not body:
        api.close_modal(view_id)
        return "closed"
    action = body.get("response_action") if isinstance(body, dict) else None
    if action == "errors":
        inputs = {b.get("block_id") for b in v.view["blocks"] if b.get("type") == "input"}
        errors = body.get("errors")
        if not isinstance(errors, dict) or not errors or set(errors) - inputs:
            return "refused"
        v.errors = {str(k): str(e) for k, e in errors.items()}
        return "errors"
    if action == "clear":
        api.close_modal(view_id, all_=True)
        return "cleared"
    if action in ("update", "push"):
        new = body.get("view")
        if view_errors(new) or new.get("type") != "modal":
            return "refused"
        if action == "update":
            v.view, v.hash, v.errors = new, f"{time.time():.6f}", {}
            return "updated"
        pushed = api._new_view(v.team, v.user, new)
        api.stacks[(v.team, v.user)].append(pushed.id)
        return "pushed"
    return "refused"


def errors_shown(api: Interactions, view_id: str) -> dict[str, str]:
    view: OpenView = api.views[view_id]
    return dict(view.errors)
