"""Canonical URLs: one spelling per page, so the same story from two sources is one item."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only track where a click came from.
_TRACKING = re.compile(
    r"^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ref|ref_src|ref_url|source|"
    r"spm|yclid|_hsenc|_hsmi|mkt_tok|cmpid|campaign|s_kwcid|si|feature)$",
    re.IGNORECASE,
)
_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf|html)/([0-9]{4}\.[0-9]{4,5})(?:v[0-9]+)?", re.I)


def http_url(url: str) -> str | None:
    """`url` without its outer whitespace if it is an absolute http(s) URL with a host and
    nothing invisible inside, else None. Sources drop (or replace) a link that fails this at
    ingestion: a newline in a link could otherwise start a new line of a report or a message,
    and control or bidi characters could disguise where it goes."""
    url = url.strip()
    # C*: control, format (bidi overrides, zero-width), private use; Z*: any space or separator
    if not url or any(unicodedata.category(c)[0] in "CZ" for c in url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return url


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, https, no `www.`, no fragment, no tracking parameters,
    sorted query, no trailing slash; arXiv abs/pdf/html links become https://arxiv.org/abs/<id>."""
    url = url.strip()
    m = _ARXIV.search(url)
    if m:
        return f"https://arxiv.org/abs/{m.group(1)}"
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return url
    host = parts.netloc.lower()
    if host.startswith("www."):
        host = host[4:]
    scheme = "https" if parts.scheme.lower() in ("http", "https") else parts.scheme.lower()
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    )
    path = parts.path.rstrip("/") or ""
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def arxiv_id_of(url: str) -> str | None:
    """The arXiv id (without version) a URL points to, if it points to arXiv."""
    m = _ARXIV.search(url)
    return m.group(1) if m else None
