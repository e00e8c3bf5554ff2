"""Fixtures of the web tests: the demo day (built once), a hostile day (titles and links that
try to run script), and the site serving them from memory or from a real Redis."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable, Iterator
from datetime import date

import pytest
from playwright.sync_api import Browser, sync_playwright
from redis import Redis
from redis.asyncio import Redis as AsyncRedis

from core.classify import OfflineClassifier
from core.demo import build_demo_day
from core.digest import SourceRef
from core.engine import Engine
from core.pipeline import BuiltDay
from core.search import SearchReader
from core.search.memory import MemorySearch
from core.store.async_reader import AsyncDayReader
from core.store.keys import Keys
from tests import days
from tests.web.browser import FLAGS, Watched, chromium_path
from tests.web.server import ServerThread
from web import MemoryReader, Site

HOSTILE_DATE = "2024-10-05"
HOSTILE_TITLE = (
    '<script>alert("title")</script><img src=x onerror=alert("img")> '
    '[click me](javascript:alert("md")) &amp; <b>bold</b>'
)
HOSTILE_URL = "javascript:alert('url')"


@pytest.fixture(scope="session")
def hostile_day(demo_day: BuiltDay) -> BuiltDay:
    """The demo day re-dated, its papers LLM section's first source (and that item) made
    hostile: markup and a markdown link in the title, a javascript: link, echoed in the text."""
    day = copy.deepcopy(days.redate(demo_day, date.fromisoformat(HOSTILE_DATE)))
    for digest in day.digests.values():
        first = next(s for s in digest.sections if (s.kind, s.category) == ("papers", "llm"))
        ref = first.sources[0]
        first.sources[0] = SourceRef(
            n=ref.n, item_id=ref.item_id, title=HOSTILE_TITLE, url=HOSTILE_URL, source=ref.source
        )
        first.parts[0].text = f"**{HOSTILE_TITLE}** [1] <iframe src=//x></iframe>"
    hostile_id = next(
        s for s in day.digests["ko"].sections if (s.kind, s.category) == ("papers", "llm")
    ).sources[0]
    day.items = [
        i.model_copy(update={"title": HOSTILE_TITLE, "url": HOSTILE_URL})
        if i.id == hostile_id.item_id
        else i
        for i in day.items
    ]
    return day


@pytest.fixture(scope="session")
def memory_server(demo_day: BuiltDay, hostile_day: BuiltDay) -> Iterator[ServerThread]:
    async def make() -> Site:
        days = [demo_day, hostile_day]
        return Site(days=MemoryReader(days), search=MemorySearch(days), default_lang="ko")

    server = ServerThread(make).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def others_day() -> BuiltDay:
    """The sample day sorted by the taxonomy's keywords (DIGEST_CLASSIFIER=rules), which leave
    items that match no category in Others (the semantic classifier leaves none there)."""
    rules = Engine(classify=OfflineClassifier("rules", relevance=True))
    return build_demo_day(("ko", "en"), engine=rules)


@pytest.fixture(scope="session")
def others_server(others_day: BuiltDay) -> Iterator[ServerThread]:
    async def make() -> Site:
        return Site(days=MemoryReader([others_day]), search=MemorySearch([others_day]))

    server = ServerThread(make).start()
    yield server
    server.stop()


def redis_site(redis_url: str) -> Callable[[], Awaitable[Site]]:
    """`make` for a ServerThread: the site as deployed, days and search read from Redis, pages
    kept an hour and forgotten when a day is published (the digest.ready stream)."""

    async def make() -> Site:
        client: AsyncRedis[bytes] = AsyncRedis.from_url(redis_url)
        keys = Keys()
        return Site(
            days=AsyncDayReader(client, keys),
            search=SearchReader(client, keys),
            page_ttl=3600,
            events=(client, keys),
        )

    return make


def publish(redis: Redis[bytes], *built_days: BuiltDay) -> Keys:
    """Store days as the publish job does, and index them for search."""
    from core.search import SearchWriter

    keys = Keys(days.PREFIX)
    for built in built_days:
        days.publish(redis, built)
        SearchWriter(redis, keys).index_built(built)
    return keys


@pytest.fixture(scope="package")  # Playwright's sync API holds this thread's event loop: let
def browser() -> Iterator[Browser]:  # the packages tested after this one use asyncio.run
    path = chromium_path()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    w = Watched(context.new_page())
    yield w
    context.close()
    assert not w.dialogs, w.dialogs
    assert not w.errors, w.errors
