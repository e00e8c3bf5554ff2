"""Block Kit elements and composition objects as Slack checks them (text, option, confirm;
button, selects, inputs, pickers, image), with Slack's limits (docs.slack.dev/reference/block-kit;
the numbers match the validators of slack_sdk.models). A property the schema does not know is
refused, as Slack does. tests/doubles/slack_blockkit.py checks the blocks that hold them.

Errors read like Slack's: "must be less than 3001 characters [json-pointer:/blocks/0/text/text]".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

MAX_ACTION_ID = 255
Check = Callable[[Any, str], list[str]]


def _err(message: str, path: str) -> list[str]:
    return [f"{message} [json-pointer:{path}]"]


def _props(node: dict[str, Any], allowed: set[str], path: str) -> list[str]:
    unknown = [k for k in node if k not in allowed]
    return [e for k in unknown for e in _err(f"invalid additional property: {k}", path)]


def _string(value: Any, path: str, limit: int, *, minimum: int = 1) -> list[str]:
    if not isinstance(value, str):
        return _err("must be a string", path)
    if len(value) < minimum:
        return _err(f"must be more than {minimum - 1} characters", path)
    if len(value) > limit:
        return _err(f"must be less than {limit + 1} characters", path)
    return []


def text(node: Any, path: str, limit: int, *, plain: bool = False) -> list[str]:
    """A text object: plain_text (emoji) or mrkdwn (verbatim), 1..limit characters."""
    if not isinstance(node, dict):
        return _err("must provide an object", path)
    kind = node.get("type")
    if kind not in (("plain_text",) if plain else ("plain_text", "mrkdwn")):
        return _err("must be " + ("plain_text" if plain else "plain_text or mrkdwn"), path)
    extra = "emoji" if kind == "plain_text" else "verbatim"
    return _props(node, {"type", "text", extra}, path) + _string(
        node.get("text"), path + "/text", limit
    )


def _plain(limit: int) -> Check:
    return lambda node, path: text(node, path, limit, plain=True)


def _url(value: Any, path: str, limit: int = 3000) -> list[str]:
    if not isinstance(value, str) or not re.match(r"https?://\S+\Z", value):
        return _err("must be a valid URL", path)
    return _string(value, path, limit)


def _option(node: Any, path: str, *, mrkdwn: bool = False, url: bool = False) -> list[str]:
    if not isinstance(node, dict):
        return _err("must provide an object", path)
    allowed = {"text", "value", "description"} | ({"url"} if url else set())
    out = _props(node, allowed, path)
    out += text(node.get("text"), path + "/text", 75, plain=not mrkdwn)
    out += _string(node.get("value"), path + "/value", 150)
    if "description" in node:
        out += text(node["description"], path + "/description", 75, plain=not mrkdwn)
    if "url" in node:
        out += _url(node["url"], path + "/url")
    return out


def _options(node: dict[str, Any], path: str, low: int, high: int, **kw: bool) -> list[str]:
    options = node.get("options")
    if not isinstance(options, list) or not low <= len(options) <= high:
        return _err(f"must provide an array of {low} to {high} items", path + "/options")
    out = [e for i, o in enumerate(options) for e in _option(o, f"{path}/options/{i}", **kw)]
    values = [o.get("value") for o in options if isinstance(o, dict)]
    if len(set(values)) != len(values):
        out += _err("option values must be unique", path + "/options")
    return out


def _confirm(node: Any, path: str) -> list[str]:
    if not isinstance(node, dict):
        return _err("must provide an object", path)
    out = _props(node, {"title", "text", "confirm", "deny", "style"}, path)
    out += _plain(100)(node.get("title"), path + "/title")
    out += text(node.get("text"), path + "/text", 300)
    out += _plain(30)(node.get("confirm"), path + "/confirm")
    out += _plain(30)(node.get("deny"), path + "/deny")
    return out


_COMMON = {"type", "action_id", "confirm", "focus_on_load"}


def _interactive(node: dict[str, Any], path: str, allowed: set[str]) -> list[str]:
    out = _props(node, _COMMON | allowed, path)
    if "action_id" in node:
        out += _string(node["action_id"], path + "/action_id", MAX_ACTION_ID)
    if "confirm" in node:
        out += _confirm(node["confirm"], path + "/confirm")
    if "placeholder" in node:
        out += _plain(150)(node["placeholder"], path + "/placeholder")
    return out


def _button(node: dict[str, Any], path: str) -> list[str]:
    out = _interactive(node, path, {"text", "url", "value", "style", "accessibility_label"})
    out += _plain(75)(node.get("text"), path + "/text")
    if "value" in node:
        out += _string(node["value"], path + "/value", 2000)
    if "url" in node:
        out += _url(node["url"], path + "/url")
    if node.get("style", "primary") not in ("primary", "danger"):
        out += _err("must be primary or danger", path + "/style")
    return out


def _static_select(node: dict[str, Any], path: str) -> list[str]:
    multi = node["type"] == "multi_static_select"
    extra = {"initial_options", "max_selected_items"} if multi else {"initial_option"}
    out = _interactive(node, path, {"placeholder", "options", "option_groups"} | extra)
    if ("options" in node) == ("option_groups" in node):
        return out + _err("must provide exactly one of options, option_groups", path)
    if "options" in node:
        out += _options(node, path, 1, 100)
    else:
        groups = node["option_groups"]
        if not isinstance(groups, list) or not 1 <= len(groups) <= 100:
            return out + _err("must provide an array of 1 to 100 items", path + "/option_groups")
        for i, g in enumerate(groups):
            gp = f"{path}/option_groups/{i}"
            if not isinstance(g, dict):
                out += _err("must provide an object", gp)
                continue
            out += _props(g, {"label", "options"}, gp) + _plain(75)(g.get("label"), gp + "/label")
            out += _options(g, gp, 1, 100)
    most = node.get("max_selected_items", 1) if multi else 1
    if not isinstance(most, int) or most < 1:
        out += _err("must be at least 1", path + "/max_selected_items")
    return out


def _choices(node: dict[str, Any], path: str) -> list[str]:  # checkboxes, radio_buttons
    initial = "initial_options" if node["type"] == "checkboxes" else "initial_option"
    return _interactive(node, path, {"options", initial}) + _options(node, path, 1, 10, mrkdwn=True)


def _overflow(node: dict[str, Any], path: str) -> list[str]:
    return _interactive(node, path, {"options"}) + _options(node, path, 2, 5, url=True)


def _text_input(node: dict[str, Any], path: str) -> list[str]:
    allowed = {"placeholder", "initial_value", "multiline", "min_length", "max_length"}
    out = _interactive(node, path, allowed | {"dispatch_action_config"})
    for k, low in (("min_length", 0), ("max_length", 1)):
        if k in node and not (isinstance(node[k], int) and low <= node[k] <= 3000):
            out += _err(f"must be between {low} and 3000", f"{path}/{k}")
    if "initial_value" in node:
        out += _string(node["initial_value"], path + "/initial_value", 3000, minimum=0)
    return out


def _timepicker(node: dict[str, Any], path: str) -> list[str]:
    out = _interactive(node, path, {"initial_time", "placeholder", "timezone"})
    t = node.get("initial_time")
    if t is not None and not (isinstance(t, str) and re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", t)):
        out += _err("must be HH:mm", path + "/initial_time")
    return out


def _conversations(node: dict[str, Any], path: str) -> list[str]:
    initial = {"conversations_select": "initial_conversation", "channels_select": "initial_channel"}
    allowed = {"placeholder", initial[node["type"]], "response_url_enabled"}
    if node["type"] == "conversations_select":
        allowed |= {"default_to_current_conversation", "filter"}
    return _interactive(node, path, allowed)


def image_element(node: dict[str, Any], path: str) -> list[str]:
    out = _props(node, {"type", "image_url", "slack_file", "alt_text"}, path)
    if ("image_url" in node) == ("slack_file" in node):
        return out + _err("must provide exactly one of image_url, slack_file", path)
    if "image_url" in node:
        out += _url(node["image_url"], path + "/image_url")
    return out + _string(node.get("alt_text"), path + "/alt_text", 2000)


ELEMENTS: dict[str, Check] = {
    "button": _button,
    "static_select": _static_select,
    "multi_static_select": _static_select,
    "checkboxes": _choices,
    "radio_buttons": _choices,
    "overflow": _overflow,
    "plain_text_input": _text_input,
    "timepicker": _timepicker,
    "conversations_select": _conversations,
    "channels_select": _conversations,
}
ACCESSORIES = {"button", "static_select", "multi_static_select", "checkboxes", "radio_buttons"}
ACCESSORIES |= {"overflow", "timepicker", "conversations_select", "channels_select", "image"}
ACTIONS = set(ELEMENTS) - {"plain_text_input"}
INPUTS = set(ELEMENTS) - {"button", "overflow"}


def element(node: Any, path: str, kinds: set[str]) -> list[str]:
    if not isinstance(node, dict) or "type" not in node:
        return _err("missing required field: type", path)
    if node["type"] not in kinds:
        return _err(f"unsupported type: {node['type']}", path + "/type")
    if node["type"] == "image":
        return image_element(node, path)
    return ELEMENTS[node["type"]](node, path)
