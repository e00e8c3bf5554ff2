"""A day built through the RQ jobs (publish indexes it) served by the site from Redis and used
in a real browser: every section with Hangul drawn, search by typing, citations, the feed."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import feedparser
import pytest
from playwright.sync_api import Browser
from redis import Redis

from core.pipeline import BuiltDay
from core.search import SyncSearchReader
from core.search.memory import MemorySearch
from core.settings import load_settings
from core.store.keys import Keys
from tests.web.browser import PHONE, Watched, hangul_not_tofu, page_width_on_a_phone
from tests.web.conftest import redis_site
from tests.web.server import ServerThread
from tests.workers.procs import drain, enqueue_demo

pytestmark = pytest.mark.slow  # a whole day through the jobs, then a browser
DAY = "2024-10-04"


@pytest.fixture
def worker_day(
    redis_db: Redis[bytes], redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServerThread]:
    monkeypatch.setenv("DIGEST_LANGUAGES", "ko,en")
    monkeypatch.setenv("DIGEST_LANGUAGE", "ko")
    assert enqueue_demo(redis_db, load_settings()) is not None
    drain(redis_db)

    server = ServerThread(redis_site(redis_url)).start()
    yield server
    server.stop()


def test_the_publish_job_indexes_what_the_inline_build_indexes(
    worker_day: ServerThread, redis_db: Redis[bytes], demo_day: BuiltDay
) -> None:
    ours = SyncSearchReader(redis_db, Keys())
    inline = MemorySearch([demo_day])
    for words in ("diffusion models", "에이전트 모델", "robot", "reinforcement learning"):
        got = ours.search(words, per_page=20)
        # in a thread: Playwright's sync API may hold this thread's event loop
        with ThreadPoolExecutor(1) as pool:
            want = pool.submit(asyncio.run, inline.search(words, per_page=20)).result()
        assert got.total == want.total > 0, words
        assert [(h.date, h.title) for h in got.hits] == [(h.date, h.title) for h in want.hits]


def test_a_worker_built_day_in_the_browser(
    worker_day: ServerThread, watched: Watched, browser: Browser, demo_day: BuiltDay
) -> None:
    page = watched.open(f"{worker_day.url}/{DAY}")
    for s in demo_day.digests["ko"].sections:
        assert page.locator(f"#{s.kind}-{s.category} li.part").count() == 5
    assert hangul_not_tofu(page) > 2000
    imgs = page.locator("figure.chart img")
    assert imgs.count() == 3
    for i in range(imgs.count()):
        imgs.nth(i).scroll_into_view_if_needed()
        loaded = "img => img.complete && img.naturalWidth === 1200"
        page.wait_for_function(loaded, arg=imgs.nth(i).element_handle())
    first = demo_day.digests["ko"].sections[0]
    cite = page.locator(f"#{first.kind}-{first.category} a.cite").first
    n = int((cite.text_content() or "").strip("[]"))
    cite.click()
    assert page.locator(":target a").get_attribute("href") == first.sources[n - 1].url
    box = page.locator("header form.search input[name=q]")
    box.fill("확산 모델")
    box.press("Enter")
    page.wait_for_url("**/search?q=*")
    assert page.locator("li.hit").count() > 0
    assert page.locator("li.hit mark").count() > 0
    feed = feedparser.parse(page.request.get(f"{worker_day.url}/feed.xml").body())
    assert not feed.bozo and [e.link for e in feed.entries] == [
        f"{worker_day.url}/{DAY}",
        f"{worker_day.url}/{DAY}?lang=en",
    ]
    page.goto(f"{worker_day.url}/search?q={quote('agents')}&lang=en")
    assert page.locator("html").get_attribute("lang") == "en"


def test_a_worker_built_day_fits_a_phone(worker_day: ServerThread, browser: Browser) -> None:
    for path in (f"/{DAY}", f"/{DAY}?lang=en", f"/{DAY}/papers/llm", "/category/llm"):
        width = page_width_on_a_phone(browser, worker_day.url + path)
        assert width <= PHONE["width"], (path, width)
