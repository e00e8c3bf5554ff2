"""What Discord refuses, as the stand-in checks it: message bodies, command uploads, autocomplete
answers and components, each per the API reference (docs: resources/message, interactions/
application-commands, interactions/receiving-and-responding, components/reference).

Every checker returns readable problems; an empty list means Discord would accept it. The routes
answer 400 with code 50035 (Invalid Form Body) for these, except an empty message, which Discord
answers with its own code 50006.
"""

from __future__ import annotations

import re
from typing import Any

Json = dict[str, Any]

MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TOTAL = 6000
MAX_NONCE = 25  # characters, "integer or string"
_EMBED_FIELD_LIMITS = {"title": 256, "description": 4096}

# Application commands: names match this (unicode letters and digits, '-', '_', "'"), and must
# be lowercase where a lowercase exists; descriptions 1-100; at most 25 options and choices.
_NAME = re.compile(r"[-_'\w]{1,32}")
MAX_DESCRIPTION = 100
MAX_OPTIONS = 25
MAX_CHOICES = 25
MAX_CHOICE_NAME = 100
MAX_CHOICE_VALUE = 100
MAX_COMMAND_CHARS = 8000
OPTION_TYPES = range(1, 12)  # SUB_COMMAND .. ATTACHMENT
SUB_COMMAND, SUB_COMMAND_GROUP, STRING = 1, 2, 3
WITH_CHOICES = {3, 4, 10}  # STRING, INTEGER, NUMBER

# Components: action rows of up to 5 buttons or one select; custom ids 1-100, unique.
MAX_ROWS = 5
MAX_BUTTONS = 5
MAX_CUSTOM_ID = 100
MAX_LABEL = 80
MAX_SELECT_OPTIONS = 25
MAX_PLACEHOLDER = 150
ACTION_ROW, BUTTON, STRING_SELECT = 1, 2, 3
LINK_STYLE = 5


def is_empty(body: Json, files: list[Json]) -> bool:
    """Nothing to show: Discord answers 50006 "Cannot send an empty message"."""
    keys = ("content", "embeds", "components", "sticker_ids", "poll")
    return not files and not any(body.get(k) for k in keys)


def message_problems(body: Json, filenames: set[str]) -> list[str]:
    """What Discord would answer 400 Invalid Form Body for in a message, as readable strings."""
    out: list[str] = []
    if len(body.get("content") or "") > MAX_CONTENT:
        out.append(f"content longer than {MAX_CONTENT}")
    nonce = body.get("nonce")
    if nonce is not None and len(str(nonce)) > MAX_NONCE:
        out.append(f"nonce: {len(str(nonce))} characters > {MAX_NONCE}")
    out += _embed_problems(body.get("embeds") or [], filenames)
    out += component_problems(body.get("components") or [])
    return out


def _embed_problems(embeds: list[Json], filenames: set[str]) -> list[str]:
    out: list[str] = []
    if len(embeds) > MAX_EMBEDS:
        out.append(f"{len(embeds)} embeds, more than {MAX_EMBEDS}")
    total = 0
    for i, e in enumerate(embeds):
        for key, limit in _EMBED_FIELD_LIMITS.items():
            n = len(e.get(key) or "")
            total += n
            if n > limit:
                out.append(f"embeds.{i}.{key}: {n} > {limit}")
        fields = e.get("fields") or []
        if len(fields) > 25:
            out.append(f"embeds.{i}.fields: {len(fields)} > 25")
        for j, f in enumerate(fields):
            total += len(f.get("name", "")) + len(f.get("value", ""))
            if len(f.get("name", "")) > 256 or len(f.get("value", "")) > 1024:
                out.append(f"embeds.{i}.fields.{j} too long")
            if not f.get("name") or not f.get("value"):
                out.append(f"embeds.{i}.fields.{j} is empty")
        footer = (e.get("footer") or {}).get("text", "")
        author = (e.get("author") or {}).get("name", "")
        total += len(footer) + len(author)
        if len(footer) > 2048 or len(author) > 256:
            out.append(f"embeds.{i} footer or author too long")
        for key in ("image", "thumbnail"):
            url = (e.get(key) or {}).get("url", "")
            if (
                url.startswith("attachment://")
                and url.removeprefix("attachment://") not in filenames
            ):
                out.append(f"embeds.{i}.{key}: no attached file {url}")
    if total > MAX_EMBED_TOTAL:
        out.append(f"embeds total {total} characters > {MAX_EMBED_TOTAL}")
    return out


def component_problems(rows: list[Json]) -> list[str]:
    """Action rows of buttons (up to 5) or one select menu, with unique 1-100 char custom ids."""
    out: list[str] = []
    if len(rows) > MAX_ROWS:
        out.append(f"components: {len(rows)} rows > {MAX_ROWS}")
    seen: set[str] = set()
    for i, row in enumerate(rows):
        kids = row.get("components") or []
        if row.get("type") != ACTION_ROW or not kids:
            out.append(f"components.{i}: not an action row with components")
            continue
        selects = [c for c in kids if c.get("type") == STRING_SELECT]
        if selects and len(kids) > 1:
            out.append(f"components.{i}: a select menu must be alone in its row")
        if len(kids) > MAX_BUTTONS:
            out.append(f"components.{i}: {len(kids)} buttons > {MAX_BUTTONS}")
        for j, c in enumerate(kids):
            where = f"components.{i}.components.{j}"
            out += _component_problems(c, where, seen)
    return out


def _component_problems(c: Json, where: str, seen: set[str]) -> list[str]:
    out: list[str] = []
    link = c.get("type") == BUTTON and c.get("style") == LINK_STYLE
    cid = c.get("custom_id")
    if link:
        if cid is not None or not c.get("url"):
            out.append(f"{where}: a link button has a url and no custom_id")
    elif not isinstance(cid, str) or not 1 <= len(cid) <= MAX_CUSTOM_ID:
        out.append(f"{where}.custom_id: must be 1-{MAX_CUSTOM_ID} characters")
    elif cid in seen:
        out.append(f"{where}.custom_id: {cid!r} is not unique in the message")
    else:
        seen.add(cid)
    if c.get("type") == BUTTON and len(c.get("label") or "") > MAX_LABEL:
        out.append(f"{where}.label: longer than {MAX_LABEL}")
    if c.get("type") == STRING_SELECT:
        options = c.get("options") or []
        if not 1 <= len(options) <= MAX_SELECT_OPTIONS:
            out.append(f"{where}.options: {len(options)}, must be 1-{MAX_SELECT_OPTIONS}")
        for k, o in enumerate(options):
            for key in ("label", "value", "description"):
                if len(str(o.get(key) or "")) > 100:
                    out.append(f"{where}.options.{k}.{key}: longer than 100")
            if not o.get("label") or not o.get("value"):
                out.append(f"{where}.options.{k}: label and value are required")
        if len(c.get("placeholder") or "") > MAX_PLACEHOLDER:
            out.append(f"{where}.placeholder: longer than {MAX_PLACEHOLDER}")
    return out


def command_problems(defs: list[Json]) -> list[str]:
    """A bulk overwrite of application commands, as Discord validates it."""
    out: list[str] = []
    names = [d.get("name") for d in defs]
    if len(set(names)) != len(names):
        out.append("two commands have the same name")
    for i, d in enumerate(defs):
        where = f"{i}"
        if d.get("type", 1) == 1:  # CHAT_INPUT: named and described like its options
            out += _named(d, where)
            out += _options_problems(d.get("options") or [], where, top=True)
            size = _chars(d)
            if size > MAX_COMMAND_CHARS:
                out.append(f"{where}: {size} characters of names, descriptions and values")
    return out


def _named(d: Json, where: str) -> list[str]:
    out: list[str] = []
    name = d.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name) or name != name.lower():
        out.append(f"{where}.name: {name!r} is not a valid lowercase name of 1-32 characters")
    desc = d.get("description")
    if not isinstance(desc, str) or not 1 <= len(desc) <= MAX_DESCRIPTION:
        out.append(f"{where}.description: must be 1-{MAX_DESCRIPTION} characters")
    return out


def _options_problems(options: list[Json], where: str, *, top: bool) -> list[str]:
    out: list[str] = []
    if len(options) > MAX_OPTIONS:
        out.append(f"{where}.options: {len(options)} > {MAX_OPTIONS}")
    names = [o.get("name") for o in options]
    if len(set(names)) != len(names):
        out.append(f"{where}.options: names are not unique")
    kinds = [o.get("type") for o in options]
    nested = [k in (SUB_COMMAND, SUB_COMMAND_GROUP) for k in kinds]
    if any(nested) and not all(nested):
        out.append(f"{where}.options: subcommands cannot be mixed with other options")
    required = [bool(o.get("required")) for o in options]
    if required != sorted(required, reverse=True):
        out.append(f"{where}.options: required options must come before optional ones")
    for j, o in enumerate(options):
        at = f"{where}.options.{j}"
        out += _named(o, at)
        kind = o.get("type")
        if kind not in OPTION_TYPES:
            out.append(f"{at}.type: {kind!r} is not an option type")
        if kind == SUB_COMMAND_GROUP and not top:
            out.append(f"{at}: a subcommand group can only be at the top")
        if kind in (SUB_COMMAND, SUB_COMMAND_GROUP):
            out += _options_problems(o.get("options") or [], at, top=False)
        out += _choice_problems(o, at)
    return out


def _choice_problems(o: Json, at: str) -> list[str]:
    choices = o.get("choices")
    if not choices:
        return []
    out: list[str] = []
    if o.get("type") not in WITH_CHOICES:
        out.append(f"{at}.choices: only string, integer and number options have choices")
    if o.get("autocomplete"):
        out.append(f"{at}: autocomplete may not be set when choices are present")
    out += choice_problems(choices, f"{at}.choices")
    return out


def choice_problems(choices: Any, where: str = "choices") -> list[str]:
    """Choices of an option or of an autocomplete answer: at most 25, names 1-100 characters,
    string values up to 100."""
    if not isinstance(choices, list):
        return [f"{where}: not a list"]
    out: list[str] = []
    if len(choices) > MAX_CHOICES:
        out.append(f"{where}: {len(choices)} > {MAX_CHOICES}")
    for k, c in enumerate(choices):
        name, value = c.get("name"), c.get("value")
        if not isinstance(name, str) or not 1 <= len(name) <= MAX_CHOICE_NAME:
            out.append(f"{where}.{k}.name: must be 1-{MAX_CHOICE_NAME} characters")
        if isinstance(value, str) and len(value) > MAX_CHOICE_VALUE:
            out.append(f"{where}.{k}.value: longer than {MAX_CHOICE_VALUE}")
        if value is None:
            out.append(f"{where}.{k}.value: required")
    return out


def _chars(d: Json) -> int:
    n = len(d.get("name") or "") + len(d.get("description") or "")
    for c in d.get("choices") or []:
        n += len(str(c.get("name", ""))) + len(str(c.get("value", "")))
    return n + sum(_chars(o) for o in d.get("options") or [])
