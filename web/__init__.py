"""The digest on the web: a server-rendered archive of the published days (DESIGN.md step 8).

Pages: the newest day (`/`), a day (`/YYYY-MM-DD`), a section (`/YYYY-MM-DD/papers/llm`), a
category across days (`/category/llm`), search (`/search?q=`), an Atom feed (`/feed.xml`), and
the charts (`/chart/YYYY-MM-DD/papers.png`). URLs follow core.permalink.

Built on aiohttp and Jinja2. aiohttp because it is a well-kept asyncio server and client that
the project already depends on (slack-bolt's async adapter, discord.py), so the web adds no
server stack of its own, runs on the same event-loop model as the bots, reads Redis with
redis.asyncio, and its test server binds real sockets. Jinja2 because it autoescapes every
`{{ … }}` (turned on for every template here, with undefined names an error), so untrusted
titles and summaries are escaped exactly once, by the engine.

Safety: no script at all (a Content-Security-Policy with script-src 'none', no inline styles
either), links only to http(s) URLs, and no handler writes anything: pages read published days
through `web.backends.DayReader` and search through `web.backends.Searcher`.

    routes.py     routes, security headers, errors           site.py    what handlers share
    day_pages.py  day and section pages                      category.py  a category across days
    search_page.py  search                                   atom.py    the Atom feed
    assets.py     charts, stylesheet, icon, Hangul font      views.py   digests for templates
    text.py       summary text as segments                   links.py   the URL scheme
    labels.py     the site's words                           backends.py  what the site reads
    og.py         Open Graph text for link previews          not_found.py  what is not there
    render.py     the template engine                        font.py    the Hangul font, cut
    serve.py      one process or pre-forked workers

Rendered pages and charts are kept in core/ttl_cache.TtlCache until a day is published.
"""

from web.backends import DayReader, MemoryReader, Searcher
from web.routes import make_app
from web.site import Site

__all__ = ["DayReader", "MemoryReader", "Searcher", "Site", "make_app"]
