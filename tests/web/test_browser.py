"""The site in a real browser (headless Chromium): Hangul drawn with real glyphs, charts loaded,
citations landing on their sources, clicking and typing through category and search, a phone's
width with no sideways scroll, hostile text shown and never run, and screenshots to look at."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser

from core.pipeline import BuiltDay
from tests.web.browser import ARTIFACTS, PHONE, Watched, hangul_not_tofu, page_width_on_a_phone
from tests.web.conftest import HOSTILE_DATE, HOSTILE_TITLE
from tests.web.server import ServerThread

pytestmark = pytest.mark.slow
DAY = "2024-10-04"


def test_day_page_every_section_with_hangul_drawn(
    memory_server: ServerThread, watched: Watched, demo_day: BuiltDay
) -> None:
    page = watched.open(f"{memory_server.url}/{DAY}")
    for s in demo_day.digests["ko"].sections:
        section = page.locator(f"#{s.kind}-{s.category}")
        assert section.is_visible()
        assert section.locator("li.part").count() == 5
    assert hangul_not_tofu(page) > 2000
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "day-desktop.png"))
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(ARTIFACTS / "day-phone.png"), full_page=True)


def test_charts_load_with_alt_text(memory_server: ServerThread, watched: Watched) -> None:
    page = watched.open(f"{memory_server.url}/{DAY}")
    imgs = page.locator("figure.chart img")
    assert imgs.count() == 3
    for i in range(imgs.count()):
        img = imgs.nth(i)
        img.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=img.element_handle()
        )
        assert img.evaluate("img => img.naturalWidth") == 1200
        assert len(img.get_attribute("alt") or "") > 20


def test_citation_links_land_on_the_right_source(
    memory_server: ServerThread, watched: Watched, demo_day: BuiltDay
) -> None:
    page = watched.open(f"{memory_server.url}/{DAY}")
    for s in demo_day.digests["ko"].sections[:6]:
        cites = page.locator(f"#{s.kind}-{s.category} a.cite")
        assert cites.count() > 0
        for i in range(min(3, cites.count())):
            cite = cites.nth(i)
            n = int((cite.text_content() or "").strip("[]"))
            cite.click()
            target = page.locator(":target")
            assert target.get_attribute("id") == f"{s.kind}-{s.category}-src-{n}"
            ref = s.sources[n - 1]
            link = target.locator("a")
            assert link.text_content() == ref.title
            assert link.get_attribute("href") == ref.url


def test_clicking_to_a_category_and_typing_a_search(
    memory_server: ServerThread, watched: Watched
) -> None:
    page = watched.open(f"{memory_server.url}/{DAY}")
    page.locator("#papers-llm h3 a").click()
    page.wait_for_url(f"**/{DAY}/papers/llm")
    page.locator("p.crumbs a[href='/category/llm']").click()
    page.wait_for_url("**/category/llm")
    assert page.locator("svg.trend-chart").count() == 2
    assert page.locator("details.recent").count() >= 2
    page.locator("svg.trend-chart").nth(1).locator("a").first.click()
    page.wait_for_url(f"**/{DAY}/papers/llm")
    box = page.locator("header form.search input[name=q]")
    box.fill("에이전트 모델")
    box.press("Enter")
    page.wait_for_url("**/search?q=*")
    hits = page.locator("li.hit")
    assert hits.count() == 10
    assert "에이전트" in (hits.first.locator("mark").first.text_content() or "") or "모델" in (
        hits.first.text_content() or ""
    )
    page.locator("nav.pager a[rel=next]").click()
    page.wait_for_url("**page=2*")
    assert page.locator("li.hit").count() > 0
    page.locator("a.hit-day").first.click()
    page.wait_for_url(re.compile(r".*/\d{4}-\d{2}-\d{2}$"))


def test_search_works_without_javascript(memory_server: ServerThread, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{memory_server.url}/search")
    page.locator("#q2").fill("diffusion")
    page.locator("form.search-big button").click()
    page.wait_for_url("**/search?q=diffusion")
    assert page.locator("li.hit mark").count() > 0
    context.close()


@pytest.mark.parametrize(
    "path",
    [f"/{DAY}", f"/{DAY}/papers/llm", "/category/llm", "/search?q=" + quote("확산 모델"), "/x"],
)
def test_phone_width_has_no_sideways_scroll(
    memory_server: ServerThread, browser: Browser, path: str
) -> None:
    width = page_width_on_a_phone(browser, memory_server.url + path)
    assert width <= PHONE["width"], (path, width)


def test_hostile_title_shows_as_text_and_runs_nothing(
    memory_server: ServerThread, watched: Watched
) -> None:
    for path in (
        f"/{HOSTILE_DATE}",
        f"/{HOSTILE_DATE}/papers/llm?lang=en",
        "/search?q=" + quote("click me onerror"),
    ):
        page = watched.open(memory_server.url + path)
        assert page.locator("script").count() == 0
        assert page.locator("iframe").count() == 0
        assert page.locator("img[src=x]").count() == 0
        assert page.locator("a[href^=javascript]").count() == 0
        body = page.locator("main").inner_text()
        assert '<script>alert("title")</script>' in body, path
    page = watched.page
    page.goto(f"{memory_server.url}/{HOSTILE_DATE}/papers/llm")
    title = page.locator("ol.sources li").first
    assert (title.text_content() or "").startswith(HOSTILE_TITLE)
    assert title.locator("a").count() == 0  # a javascript: URL is never a link
