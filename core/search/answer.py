"""Search hits as plain text, for the CLI and the Slack bot: one line per hit with its day,
kind and category, its title, and a link to its page when DIGEST_PUBLIC_URL is set. (The
Discord bot lays out the same page itself, escaping with escape.discord: bot/discord_bot/
search_hits.py.)

Titles come from feeds: they are put on one line, with the characters that could make a
mention, markup or a masked link in a chat app taken out, and the Slack bot escapes the whole
reply once more (mrkdwn) where it enters its blocks.
"""

from __future__ import annotations

from core import permalink
from core.escape import one_line
from core.search.ranking import SearchPage
from core.taxonomy import OTHERS

_UNSAFE = str.maketrans({"<": "‹", ">": "›", "@": "＠", "`": "'", "*": "∗", "_": " ", "~": "-",
                         "|": "¦", "\\": "/", "[": "(", "]": ")"})  # fmt: skip
MAX_TITLE = 120


def plain(text: str) -> str:
    t = one_line(text).translate(_UNSAFE)
    return t if len(t) <= MAX_TITLE else t[: MAX_TITLE - 1].rstrip() + "…"


def hits_text(
    page: SearchPage,
    *,
    base_url: str = "",
    lang: str = "",
    default_lang: str = "",
    command: str = "/aidigest search",
) -> str:
    """The page of hits, or a line saying nothing was found and what to try (`command` is how
    the reader types a search: the chat command, or the CLI's)."""
    words = plain(page.query)
    if not page.hits:
        return (
            f"Nothing found for “{words}” in the published days. Try other words, in English "
            f"or Korean, or fewer of them: `{command} diffusion models`"
        )
    first = (page.page - 1) * page.per_page + 1
    head = f"{page.total} results for “{words}”"
    if page.pages > 1:
        head += f" (page {page.page} of {page.pages})"
    lines = [head + ":"]
    for n, h in enumerate(page.hits, start=first):
        what = "summary" if h.is_section else h.source
        lines.append(f"{n}. {h.date} · {h.kind} · {plain(h.name)} · {plain(what)}")
        excerpt = "".join(text for text, _ in h.snippet) if h.is_section else h.title
        lines.append(f"   {plain(excerpt)}")
        if h.category != OTHERS and base_url:
            url = permalink.section_url(
                base_url, h.date, h.kind, h.category, h.lang or lang, default_lang
            )
            lines.append(f"   {url}")
    return "\n".join(lines)


__all__ = ["hits_text", "plain"]
