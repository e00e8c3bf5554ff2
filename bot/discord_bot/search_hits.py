"""`/aidigest search` on Discord: a page of hits as message text, rendered here from the page
itself rather than from the shared commands' plain text (core.search.answer.hits_text).

That text is made for any chat app by a character swap (`plain`), which leaves `#` and `-#`
alone: a title such as "-# free GPUs" would start a heading or subtext line on Discord. So
every piece of untrusted text of a hit (its title or excerpt, its category's name, its source)
and the searched words echoed back go through core.escape.discord, the Discord renderer's one
escaper, once, here; the layout around them is ours (a numbered line per hit, the excerpt below
it, the section's page when the archive is public).
"""

from __future__ import annotations

from bot.common.dispatch import SEARCH_HITS, Commands
from core import escape, permalink
from core.query import SearchQuery
from core.search import Filters, SearchPage
from core.taxonomy import OTHERS

MAX_EXCERPT = 120  # characters of a title or excerpt, cut before escaping (never inside one)
EXAMPLE = "`/aidigest search words:diffusion models`"


async def search_text(commands: Commands, q: SearchQuery) -> tuple[str, bool]:
    """The answer to `q` from the shared search index, and whether anything was found. Section
    summaries in the bot's language, items in any (as the shared commands search)."""
    lang = commands.defaults.lang
    wanted = Filters(kind=q.kind, category=q.category, lang=lang)
    page = await commands.search.search(q.words, wanted, per_page=SEARCH_HITS)
    return hits_text(page, base_url=commands.public_url, lang=lang), bool(page.hits)


def hits_text(page: SearchPage, *, base_url: str = "", lang: str = "") -> str:
    """The page of hits, or a line saying nothing was found and what to try."""
    words = escape.discord(page.query)
    if not page.hits:
        return (
            f"Nothing found for “{words}” in the published days. Try other words, in English "
            f"or Korean, or fewer of them: {EXAMPLE}"
        )
    head = f"{page.total} results for “{words}”"
    if page.pages > 1:
        head += f" (page {page.page} of {page.pages})"
    lines = [head + ":"]
    first = (page.page - 1) * page.per_page + 1
    for n, h in enumerate(page.hits, start=first):
        what = "summary" if h.is_section else escape.discord(h.source)
        lines.append(f"{n}. {h.date} · {h.kind} · {escape.discord(h.name)} · {what}")
        excerpt = "".join(text for text, _ in h.snippet) if h.is_section else h.title
        lines.append(f"   {_excerpt(excerpt)}")
        if h.category != OTHERS and base_url:
            url = permalink.section_url(base_url, h.date, h.kind, h.category, h.lang or lang, lang)
            lines.append(f"   {url}")
    return "\n".join(lines)


def _excerpt(text: str) -> str:
    line = escape.one_line(text)
    if len(line) > MAX_EXCERPT:
        line = line[: MAX_EXCERPT - 1].rstrip() + "…"
    return escape.discord(line)
