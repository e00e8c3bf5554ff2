"""One escaping function per renderer, for every piece of untrusted text (titles, summaries,
source names, notes, echoed user words): what a feed, a model or a user wrote shows as typed
and does nothing — no markup, no link, no image, no mention, no HTML.

    markdown(text)   the report (GitHub-flavoured CommonMark): backslash escapes, one line
    mrkdwn(text)     Slack mrkdwn: &, <, > as entities, broadcast words broken, one line
    discord(text)    Discord markdown: backslash escapes, mentions broken, one line
    html(text)       HTML outside templates (the templates autoescape)

    http_url(url)    an http(s) URL safe inside any of their link syntaxes, else None

Every function first makes the text one line without control or bidi-override characters
(`one_line`): untrusted text can never start a heading, a list item or a quote of its own.
Renderers escape exactly once, where text enters their markup.

What none of them can stop, and why it is harmless: GitHub and Slack turn a bare e-mail
address into a mailto link (the link shows its own target); GitHub renders `:emoji:` codes;
Slack may show *bold* or _italic_ (it has no escape for them). Discord renders no markdown in
an embed's title, author or footer: put escape.discord text only where markdown is rendered
(descriptions, field values, message content) and plain one_line text elsewhere.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape as _html_escape
from urllib.parse import urlsplit

from core.urls import http_url as _checked_url

# Controls (whitespace ones become spaces first), bidi embeddings/overrides/isolates, BOM.
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")

# Markdown: inline markup, links, images, raw HTML, entities, tables, math, strikethrough.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&$])")
_MD_LINE_START = re.compile(r"\A([-=]|\d{1,9}(?=[.)]))")  # list, setext, ordered list
_MD_AUTOLINK = re.compile(r"(?i)\b(https?|ftp)(:)(?=//)|\b(www)(\.)")  # GitHub's autolinks

_SLACK_BROADCAST = re.compile(r"@(?=(?:channel|here|everyone)\b)", re.IGNORECASE)

_DISCORD_SPECIAL = "\\`*_~|[]()<>#:-"  # each gets a backslash before it; "\\" first
_DISCORD_LINE_START = re.compile(r"\A(\d{1,9})(?=[.)])")
_DISCORD_MENTION = re.compile(r"@(?=everyone|here|[!&]?\d)", re.IGNORECASE)

_ZERO_WIDTH_SPACE = "\u200b"
_LINK_UNSAFE = re.compile(r"[<>()\[\]{}|\\^`\"' ]")
_HOST = re.compile(r"(?:[\w.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?")


def one_line(text: str) -> str:
    """Any run of whitespace (newlines too) as one space, control and bidi-override characters
    removed: a title cannot start a new block or reverse what follows it. Every renderer calls
    this for every piece of text it shows, so it is str.split (the same whitespace as the
    pattern `\\s`: both are str.isspace), with a pattern only when there is something to remove."""
    line = " ".join(text.split())
    return " ".join(_INVISIBLE.sub("", line).split()) if _INVISIBLE.search(line) else line


def markdown(text: str) -> str:
    """Untrusted text inside a Markdown document: CommonMark backslash escapes for every
    character that could start inline markup, a link, an image, raw HTML, an entity or a
    table cell; a leading list or heading marker; and the `:` or `.` that would let GitHub
    autolink a bare http(s)/www address."""
    line = one_line(text)
    line = _MD_SPECIAL.sub(r"\\\1", line)
    line = _MD_AUTOLINK.sub(_md_autolink, line)
    return _MD_LINE_START.sub(_md_line_start, line)


def _md_autolink(m: re.Match[str]) -> str:
    return f"{m.group(1) or m.group(3)}\\{m.group(2) or m.group(4)}"


def _md_line_start(m: re.Match[str]) -> str:
    mark = m.group(1)
    return "\\" + mark if not mark.isdigit() else mark + "\\"  # "1." becomes "1\." below


def mrkdwn(text: str) -> str:
    """Untrusted text inside Slack mrkdwn: &, < and > as entities (Slack's own rule), so no
    link, user or channel mention, or `<!channel>` can be formed; "@channel", "@here" and
    "@everyone" are broken by a zero-width space, should anything parse plain mentions, and
    so is a leading "&gt;" (a quote)."""
    escaped = one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if escaped.startswith("&gt;"):  # Slack quotes a line that starts with an escaped ">"
        escaped = _ZERO_WIDTH_SPACE + escaped
    if "@" not in escaped:  # the common case: no pass of the pattern
        return escaped
    return _SLACK_BROADCAST.sub("@" + _ZERO_WIDTH_SPACE, escaped)


def discord(text: str) -> str:
    """Untrusted text inside Discord markdown: markdown, masked links, headings, quotes,
    lists and subtext escaped; @everyone, @here and user/role mentions broken by a
    zero-width space (messages are also sent with no allowed mentions).

    The bot escapes every title and summary line of an answer through here, so it is plain
    str.replace (a tenth of re.sub with a group template, which runs Python code per match, and
    of str.translate with a table of strings) and a check before each pattern; the result is
    exactly the patterns' (tests/core/test_escape.py)."""
    escaped = one_line(text)
    for c in _DISCORD_SPECIAL:
        if c in escaped:
            escaped = escaped.replace(c, "\\" + c)
    if escaped[:1].isdigit():
        escaped = _DISCORD_LINE_START.sub(r"\1\\", escaped)
    if "@" in escaped:
        escaped = _DISCORD_MENTION.sub("@" + _ZERO_WIDTH_SPACE, escaped)
    return escaped


def html(text: str) -> str:
    """Untrusted text inside HTML (element content or a quoted attribute value)."""
    return _html_escape(text, quote=True)


@lru_cache(maxsize=16_384)  # every answer and page checks each link it shows; links repeat
def http_url(url: str) -> str | None:
    """`url` if it is an absolute http(s) URL with a plain host (no user:password@), no
    whitespace and nothing invisible (core.urls.http_url), with the characters that could end
    a link in Markdown, Slack or Discord syntax percent-encoded; else None."""
    checked = _checked_url(url)
    if checked is None:
        return None
    parts = urlsplit(checked)
    if not _HOST.fullmatch(parts.netloc):
        return None
    origin = f"{parts.scheme.lower()}://{parts.netloc}"
    rest = checked[checked.index(parts.netloc) + len(parts.netloc) :]
    return origin + _LINK_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", rest)
