"""One escaping function per renderer, for every piece of untrusted text (titles, summaries,
source names, echoed user words): what a feed, a model or a user wrote shows as typed and does
nothing — no markup, no link, no mention, no HTML.

    markdown(text)   the report (CommonMark / GitHub): backslash-escapes, one line
    mrkdwn(text)     Slack: its three control characters as entities
    discord(text)    Discord: markdown and masked links escaped, mentions broken
    html(text)       HTML pages outside templates (the templates autoescape)

    http_url(url)    an http(s) URL safe to put in a link, else None

Renderers escape exactly once, at the point where text enters their markup.
"""

from __future__ import annotations

import re
from html import escape as _html_escape

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
_DISCORD_SPECIAL = re.compile(r"([\\`*_~|\[\]()<>#:-])")
_DISCORD_MENTION = re.compile(r"@(?=everyone|here|[!&]?\d)", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_URL = re.compile(r"https?://[^\s/?#]+[^\s]*\Z", re.IGNORECASE)


def one_line(text: str) -> str:
    """Any run of whitespace (newlines too) as one space: a title cannot start a new block."""
    return _SPACE.sub(" ", text).strip()


def markdown(text: str) -> str:
    """Untrusted text inside a Markdown document: CommonMark's backslash escapes for every
    character that could start markup, a link, an image, raw HTML or a heading."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def mrkdwn(text: str) -> str:
    """Untrusted text inside Slack mrkdwn: &, < and > as entities, so no link, mention or
    channel-wide ping (`<!channel>`) can be formed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def discord(text: str) -> str:
    """Untrusted text inside Discord markdown: markdown, masked links, headings and subtext
    escaped; @everyone, @here and user/role mentions broken by a zero-width space."""
    return _DISCORD_MENTION.sub("@\u200b", _DISCORD_SPECIAL.sub(r"\\\1", text))


def html(text: str) -> str:
    """Untrusted text inside HTML (element content or a quoted attribute value)."""
    return _html_escape(text, quote=True)


def http_url(url: str) -> str | None:
    """`url` if it is an absolute http(s) URL with a host and no whitespace, else None."""
    url = url.strip()
    return url if _URL.match(url) else None
