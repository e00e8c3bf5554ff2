"""The Home tab's modals: add or edit a channel's daily post, confirm removing one, or say why
not; and reading a submitted form back (`read_form`), every field checked, each problem said
next to its field (Slack shows `errors` under the input with that block_id).

The time zone is a text field read as one typed value by the shared builder
(core.query.subscribe_options, as Discord's `timezone` option is), never as command text: `UTC en`
or `Seoul LLM` is an unknown zone said under the field, not UTC in English or an unknown category.
The field accepts what the command accepts (IANA names, KST, UTC, a city such as Seoul).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from bot.common.subscription import Subscription
from bot.slack_bot.actions import REMOVE, SUBSCRIPTION
from bot.slack_bot.mrkdwn import esc
from core.items import KINDS
from core.query import OptionError, subscribe_options
from core.taxonomy import Taxonomy

LANGS = {"ko": "한국어", "en": "English"}
KIND_NAMES = {"news": "News", "papers": "Papers"}
MAX_ERROR = 150  # characters of one field's error: it sits under one input, so it stays short


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": _plain(text[:75]), "value": value}


def _input(block_id: str, label: str, element: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label),
        "element": element,
        **extra,
    }


def subscription_modal(
    taxonomy: Taxonomy,
    languages: tuple[str, ...],
    defaults: Subscription,
    *,
    channel: str | None,
) -> dict[str, Any]:
    """Add (channel None: pick one) or edit (that channel's) daily post, filled from `defaults`."""
    blocks: list[dict[str, Any]] = []
    if channel is None:
        pick = {
            "type": "conversations_select",
            "action_id": "pick",
            "placeholder": _plain("A channel"),
            "filter": {"include": ["public", "private"], "exclude_bot_users": True},
        }
        blocks.append(_input("channel", "Channel", pick))
    else:
        text = {"type": "mrkdwn", "text": f"Daily post in <#{channel}>"}
        blocks.append({"type": "section", "block_id": "where", "text": text})
    kinds = [_option(KIND_NAMES[k], k) for k in KINDS]
    chosen = [o for o in kinds if o["value"] in defaults.kinds]
    checks: dict[str, Any] = {"type": "checkboxes", "action_id": "pick", "options": kinds}
    if chosen:
        checks["initial_options"] = chosen
    blocks.append(_input("kinds", "What to post", checks))
    groups: list[dict[str, Any]] = [
        {
            "label": _plain(KIND_NAMES[k]),
            "options": [_option(c.name, f"{k}:{c.id}") for c in taxonomy.sections(k)],
        }
        for k in KINDS
        if taxonomy.sections(k)
    ]
    cats: dict[str, Any] = {
        "type": "multi_static_select",
        "action_id": "pick",
        "placeholder": _plain("Every category"),
        "option_groups": groups,
    }
    offered = {o["value"]: o for g in groups for o in g["options"]}
    if initial := [offered[c] for c in defaults.categories if c in offered]:
        cats["initial_options"] = initial
    hint = _plain("None chosen: every section of the kinds above.")
    blocks.append(_input("categories", "Categories", cats, optional=True, hint=hint))
    clock: dict[str, Any] = {
        "type": "timepicker",
        "action_id": "pick",
        "initial_time": defaults.time,
    }
    blocks.append(_input("time", "Post at", clock))
    zone: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "pick",
        "initial_value": defaults.tz,
        "max_length": 64,
    }
    hint = _plain("An IANA name (Asia/Seoul, Europe/Berlin), KST, UTC or a city (Seoul)")
    blocks.append(_input("tz", "Time zone", zone, hint=hint))
    langs = [_option(LANGS.get(code, code), code) for code in languages]
    lang: dict[str, Any] = {"type": "static_select", "action_id": "pick", "options": langs}
    if current := [o for o in langs if o["value"] == defaults.lang]:
        lang["initial_option"] = current[0]
    blocks.append(_input("lang", "Language", lang))
    return {
        "type": "modal",
        "callback_id": SUBSCRIPTION,
        "private_metadata": json.dumps({"channel": channel} if channel else {}),
        "title": _plain("Daily post"),
        "submit": _plain("Save"),
        "close": _plain("Cancel"),
        "blocks": blocks,
    }


def remove_modal(channel: str, described: str) -> dict[str, Any]:
    text = {"type": "mrkdwn", "text": f"Stop the daily post in <#{channel}>?\n{esc(described)}"}
    return {
        "type": "modal",
        "callback_id": REMOVE,
        "private_metadata": json.dumps({"channel": channel}),
        "title": _plain("Remove daily post"),
        "submit": _plain("Remove"),
        "close": _plain("Keep it"),
        "blocks": [{"type": "section", "text": text}],
    }


def notice_modal(text: str) -> dict[str, Any]:
    body = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    return {"type": "modal", "title": _plain("aidigest"), "close": _plain("OK"), "blocks": [body]}


@dataclass
class Form:
    channel: str = ""
    kinds: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    time: str = ""
    tz: str = ""
    lang: str = ""
    errors: dict[str, str] = field(default_factory=dict)  # block_id -> what to fix


def metadata_channel(view: dict[str, Any]) -> str | None:
    try:
        got = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return None
    channel = got.get("channel") if isinstance(got, dict) else None
    return (
        channel
        if isinstance(channel, str) and re.fullmatch(r"[CG][A-Z0-9]{1,30}", channel)
        else None
    )


def field_error(e: OptionError) -> str:
    """An option's message as a form field's error: without its example command ("Try:
    `/aidigest subscribe …`"), which fits a command line, not a form; short (MAX_ERROR)."""
    return e.message.split(" Try: ", 1)[0][:MAX_ERROR]


def read_form(
    view: dict[str, Any], taxonomy: Taxonomy, languages: tuple[str, ...], today: Any
) -> Form:
    """The submitted subscription form, with an error for each field that will not do. `today`
    is unused since the zone stopped going through the date-aware text grammar; kept so the
    caller (home_tab) need not change."""
    values = (view.get("state") or {}).get("values") or {}

    def got(block: str) -> dict[str, Any]:
        return dict((values.get(block) or {}).get("pick") or {})

    form = Form()
    form.channel = metadata_channel(view) or str(got("channel").get("selected_conversation") or "")
    if not form.channel:
        form.errors["channel"] = "Choose a channel."
    form.kinds = [
        o["value"] for o in got("kinds").get("selected_options") or [] if o["value"] in KINDS
    ]
    if not form.kinds:
        form.errors["kinds"] = "Choose news, papers or both."
    cats = [str(o["value"]) for o in got("categories").get("selected_options") or []]
    form.categories = [c for c in cats if c.split(":", 1)[0] in form.kinds]
    if len(form.categories) < len(cats):
        form.errors["categories"] = "Some categories belong to a kind not chosen above."
    form.time = str(got("time").get("selected_time") or "")
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", form.time):
        form.errors["time"] = "Choose a time."
    zone = subscribe_options(taxonomy, timezone=str(got("tz").get("value") or ""))
    if isinstance(zone, OptionError):
        form.errors["tz"] = field_error(zone)
    elif zone.tz is None:
        form.errors["tz"] = "Write a time zone."
    else:
        form.tz = zone.tz
    form.lang = str((got("lang").get("selected_option") or {}).get("value") or "")
    if form.lang not in languages:
        form.errors["lang"] = "Choose a language."
    return form
