"""Block Kit blocks and views as Slack checks them, with Slack's limits (docs.slack.dev/reference/
block-kit, slack_sdk.models): the block types, their properties (an unknown one is refused), text
lengths, element counts, block_id (at most 255 characters, unique in a message or view), and
action_ids unique within a block. Elements are checked by tests/doubles/slack_elements.py.

    blocks_errors(blocks, surface)   why Slack would refuse these blocks; [] when it would not
    view_errors(view)                the same for a modal or Home tab view (views.open/publish)

Surfaces: "message" (at most 50 blocks, no input block), "modal" and "home" (at most 100).
"""

from __future__ import annotations

from typing import Any

from tests.doubles.slack_elements import (
    ACCESSORIES,
    ACTIONS,
    INPUTS,
    _err,
    _plain,
    _props,
    _string,
    element,
    image_element,
    text,
)

MAX_BLOCKS = {"message": 50, "modal": 100, "home": 100}
MAX_BLOCK_ID = 255
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_PRIVATE_METADATA = 3000


def blocks_errors(blocks: Any, surface: str = "message", path: str = "/blocks") -> list[str]:
    if not isinstance(blocks, list):
        return _err("must be an array", path)
    limit = MAX_BLOCKS[surface]
    if len(blocks) > limit:
        return _err(f"must provide an array of no more than {limit} items", path)
    errors: list[str] = []
    seen: set[str] = set()
    for i, block in enumerate(blocks):
        bp = f"{path}/{i}"
        errors += _block(block, bp, surface)
        bid = block.get("block_id") if isinstance(block, dict) else None
        if bid is not None:
            errors += _string(bid, bp + "/block_id", MAX_BLOCK_ID)
            if bid in seen:
                errors += _err(f"duplicate block_id: {bid}", bp + "/block_id")
            seen.add(bid)
    return errors


def _block(block: Any, path: str, surface: str) -> list[str]:
    if not isinstance(block, dict) or "type" not in block:
        return _err("missing required field: type", path)
    kind = block["type"]
    check = _BLOCKS.get(kind)
    if check is None or (kind == "input" and surface == "message"):
        return _err(f"unsupported type: {kind}", path + "/type")
    allowed, fn = check
    return _props(block, {"type", "block_id"} | allowed, path) + fn(block, path)


def _section(b: dict[str, Any], path: str) -> list[str]:
    if "text" not in b and "fields" not in b:
        return _err("must provide text or fields", path)
    out = text(b["text"], path + "/text", MAX_SECTION_TEXT) if "text" in b else []
    if "fields" in b:
        fields = b["fields"]
        if not isinstance(fields, list) or not 1 <= len(fields) <= 10:
            return out + _err("must provide an array of 1 to 10 items", path + "/fields")
        for i, f in enumerate(fields):
            out += text(f, f"{path}/fields/{i}", MAX_FIELD_TEXT)
    if "accessory" in b:
        out += element(b["accessory"], path + "/accessory", ACCESSORIES)
    if "expand" in b and not isinstance(b["expand"], bool):
        out += _err("must be a boolean", path + "/expand")
    return out


def _header(b: dict[str, Any], path: str) -> list[str]:
    return _plain(MAX_HEADER_TEXT)(b.get("text"), path + "/text")


def _context(b: dict[str, Any], path: str) -> list[str]:
    elements = b.get("elements")
    if not isinstance(elements, list) or not 1 <= len(elements) <= 10:
        return _err("must provide an array of 1 to 10 items", path + "/elements")
    out: list[str] = []
    for i, el in enumerate(elements):
        ep = f"{path}/elements/{i}"
        if isinstance(el, dict) and el.get("type") == "image":
            out += image_element(el, ep)
        else:
            out += text(el, ep, MAX_SECTION_TEXT)
    return out


def _image(b: dict[str, Any], path: str) -> list[str]:
    inner = {k: v for k, v in b.items() if k in ("image_url", "slack_file", "alt_text")}
    out = image_element({"type": "image", **inner}, path)
    if "slack_file" in b:
        f = b["slack_file"]
        if not isinstance(f, dict) or len({"id", "url"} & set(f)) != 1 or set(f) - {"id", "url"}:
            out += _err("must provide exactly one of id, url", path + "/slack_file")
    if "title" in b:
        out += _plain(2000)(b["title"], path + "/title")
    return out


def _actions(b: dict[str, Any], path: str) -> list[str]:
    elements = b.get("elements")
    if not isinstance(elements, list) or not 1 <= len(elements) <= 25:
        return _err("must provide an array of 1 to 25 items", path + "/elements")
    out = [e for i, el in enumerate(elements) for e in element(el, f"{path}/elements/{i}", ACTIONS)]
    ids = [el.get("action_id") for el in elements if isinstance(el, dict) and el.get("action_id")]
    if len(set(ids)) != len(ids):
        out += _err("action_id must be unique in a block", path + "/elements")
    return out


def _input(b: dict[str, Any], path: str) -> list[str]:
    out = _plain(2000)(b.get("label"), path + "/label")
    out += element(b.get("element"), path + "/element", INPUTS)
    if "hint" in b:
        out += _plain(2000)(b["hint"], path + "/hint")
    for flag in ("optional", "dispatch_action"):
        if flag in b and not isinstance(b[flag], bool):
            out += _err("must be a boolean", f"{path}/{flag}")
    return out


def _nothing(b: dict[str, Any], path: str) -> list[str]:
    return []


def _markdown(b: dict[str, Any], path: str) -> list[str]:
    return _string(b.get("text"), path + "/text", 12000)


_BLOCKS = {
    "section": ({"text", "fields", "accessory", "expand"}, _section),
    "header": ({"text"}, _header),
    "context": ({"elements"}, _context),
    "divider": (set(), _nothing),
    "image": ({"image_url", "slack_file", "alt_text", "title"}, _image),
    "actions": ({"elements"}, _actions),
    "input": ({"label", "element", "hint", "optional", "dispatch_action"}, _input),
    "markdown": ({"text"}, _markdown),
    "rich_text": ({"elements"}, _nothing),
}
_VIEW = {"type", "blocks", "private_metadata", "callback_id", "external_id"}
_MODAL = {"title", "close", "submit", "clear_on_close", "notify_on_close", "submit_disabled"}


def view_errors(view: Any) -> list[str]:
    """A view for views.open/update/push (type "modal") or views.publish (type "home")."""
    if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
        return _err("must be a modal or home view", "/view/type")
    modal = view["type"] == "modal"
    out = _props(view, _VIEW | (_MODAL if modal else set()), "/view")
    out += blocks_errors(view.get("blocks"), view["type"], "/view/blocks")
    if modal:
        out += _plain(24)(view.get("title"), "/view/title")
        for k in ("close", "submit"):
            if k in view:
                out += _plain(24)(view[k], f"/view/{k}")
        has_input = any(isinstance(b, dict) and b.get("type") == "input" for b in view["blocks"])
        if has_input and "submit" not in view:
            out += _err("a view with input blocks must have submit", "/view/submit")
    if "private_metadata" in view:
        pm = view["private_metadata"]
        out += _string(pm, "/view/private_metadata", MAX_PRIVATE_METADATA, minimum=0)
    if "callback_id" in view:
        out += _string(view["callback_id"], "/view/callback_id", 255)
    return out
