"""Slack mrkdwn from untrusted text: escaped once (core.escape.mrkdwn), links built only here,
and text split into pieces that never cut a link, a mention or an entity.

Feed, model and user text is escaped (`&`, `<`, `>`), so it can neither mention (`<!channel>`,
`<@U…>`) nor forge a link (`<http://evil|here>`); the only links are made by `link`, from
http(s) URLs with the characters that would end a link percent-encoded. A link's URL and label
are capped (MAX_URL, MAX_LABEL), so a link always fits in a section with room to spare.
"""

from __future__ import annotations

import re

from core.escape import mrkdwn as esc

MAX_URL = 1500  # longer URLs are shown as their label only
MAX_LABEL = 300  # characters of a link's label (a feed title), then "…"
_HTTP = re.compile(r"https?://[^\s/]", re.IGNORECASE)
_SPACE = re.compile(r"\s")
# One unit that must never be cut: <…> markup, an entity (&amp; &#39;), a run of spaces, a word.
_ATOM = re.compile(r"<[^<>\n]*>|&(?:[a-z]+|#\d+);|[^\S\n]+|[^<&\s]+|.")

__all__ = ["chunks", "clip", "esc", "esc_lines", "link", "safe_url"]


def esc_lines(text: str) -> str:
    """Multi-line text (a summary's bullets, help, search hits) escaped line by line, keeping
    its line breaks and each line's indent: `esc` makes one line of whatever it is given."""
    out = []
    for line in text.split("\n"):
        body = line.lstrip(" ")
        out.append(" " * (len(line) - len(body)) + esc(body) if body.strip() else "")
    return "\n".join(out)


def safe_url(url: str) -> str | None:
    """An http(s) URL that cannot break out of `<url|label>`; None for anything else."""
    url = url.strip()
    if len(url) > MAX_URL or not _HTTP.match(url):
        return None
    url = _SPACE.sub("%20", url)
    for ch, code in (("|", "%7C"), ("<", "%3C"), (">", "%3E")):
        url = url.replace(ch, code)
    return url.replace("&", "&amp;")  # Slack reads &amp; back as & inside a link


def label(text: str, limit: int = MAX_LABEL) -> str:
    """Untrusted text on one line, at most `limit` characters, escaped."""
    one = " ".join(text.split())
    return esc(one if len(one) <= limit else one[: limit - 1] + "…")


def link(url: str, text: str) -> str:
    u = safe_url(url)
    return f"<{u}|{label(text)}>" if u else label(text)


def clip(text: str, limit: int) -> str:
    """Escaped mrkdwn `text` in at most `limit` characters: whole when it fits, else cut between
    atoms (never inside a link, mention or entity such as `&amp;`) and ended with "…"."""
    if len(text) <= limit:
        return text
    kept: list[str] = []
    size = 0
    for atom in _ATOM.findall(text):
        if size + len(atom) > limit - 1:
            if not atom.startswith(("<", "&")):  # a plain word may be cut
                kept.append(atom[: limit - 1 - size])
            break
        kept.append(atom)
        size += len(atom)
    return "".join(kept).rstrip() + "…"


def chunks(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` characters, split at line ends where possible, else
    at spaces, never inside a link, mention or entity (a word longer than `limit` is cut)."""
    out: list[str] = []
    current = ""
    for line in text.split("\n"):
        for piece in _fit(line, limit):
            joined = f"{current}\n{piece}" if current else piece
            if len(joined) > limit:
                if current.strip():
                    out.append(current)
                current = piece
            else:
                current = joined
    if current.strip():
        out.append(current)
    return out


def _fit(line: str, limit: int) -> list[str]:
    """One line in pieces of at most `limit`, cut between atoms, at a space when one is near."""
    if len(line) <= limit:
        return [line]
    pieces: list[str] = []
    atoms: list[str] = []
    size = 0
    for atom in _ATOM.findall(line):
        for part in _split_atom(atom, limit):
            while atoms and size + len(part) > limit:
                pieces, atoms = _cut(pieces, atoms, limit, incoming=len(part))
                size = sum(map(len, atoms))
            if not atoms and part.isspace():
                continue  # a piece never starts with the space it was cut at
            atoms.append(part)
            size += len(part)
    pieces.append("".join(atoms).rstrip())
    return [p for p in pieces if p]


def _cut(
    pieces: list[str], atoms: list[str], limit: int, incoming: int
) -> tuple[list[str], list[str]]:
    """Close a piece at the last space in its second half after which the rest and the
    `incoming` atom still fit, else at its end; the atoms after that space start the next."""
    size = sum(map(len, atoms))
    at = len(atoms)
    for i in range(len(atoms) - 1, 0, -1):
        size -= len(atoms[i])
        moved = sum(map(len, atoms[i:]))
        if atoms[i].isspace() and size > limit // 2 and moved + incoming <= limit:
            at = i
            break
    rest = [a for a in atoms[at:] if a] if at < len(atoms) else []
    if rest and rest[0].isspace():
        rest = rest[1:]
    return [*pieces, "".join(atoms[:at]).rstrip()], rest


def _split_atom(atom: str, limit: int) -> list[str]:
    """An atom longer than a piece: a plain word is cut; markup keeps only its label."""
    if len(atom) <= limit:
        return [atom]
    if atom.startswith("<"):
        shown = atom[1:-1].split("|", 1)[-1]
        return _split_atom(shown, limit)
    return [atom[i : i + limit] for i in range(0, len(atom), limit)]
