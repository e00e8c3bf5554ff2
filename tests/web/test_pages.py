"""The site over HTTP, served from memory: every page, its words, links, headers and errors."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import quote

import feedparser
import pytest

from core.digest import Digest
from core.pipeline import BuiltDay
from tests.web.conftest import HOSTILE_DATE, HOSTILE_TITLE
from tests.web.html_doc import Element, by_id, meta, parse
from tests.web.server import ServerThread

DAY = "2024-10-04"


def get(server: ServerThread, path: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(server.url + path, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def page(server: ServerThread, path: str, status: int = 200) -> str:
    code, headers, body = get(server, path)
    assert code == status, (path, code, body[:500])
    assert headers["Content-Type"].startswith("text/html")
    return body.decode()


def day_pages(server: ServerThread, built: BuiltDay) -> Iterator[tuple[str, Digest, str, Element]]:
    """Per language of `built`: its digest and the day page `server` serves in it, HTML and tree."""
    for lang, digest in built.digests.items():
        html = page(server, f"/{DAY}?lang={lang}")
        yield lang, digest, html, parse(html)


def test_day_page_has_every_section_with_five_parts_and_linked_citations(
    memory_server: ServerThread, demo_day: BuiltDay
) -> None:
    for lang, digest, html, root in day_pages(memory_server, demo_day):
        ids = by_id(root)
        assert f'<html lang="{lang}">' in html
        for s in digest.sections:
            el = ids[f"{s.kind}-{s.category}"]
            assert s.name in el.text
            assert len(el.all("li", "part")) == 5
            sources = el.all("ol", "sources")[0].all("li")
            assert [li.attrs["id"] for li in sources] == [
                f"{s.kind}-{s.category}-src-{r.n}" for r in s.sources
            ]
            for cite in el.all("a", "cite"):
                n = int(cite.text.strip("[]"))
                target = ids[cite.attrs["href"].lstrip("#")]
                assert s.sources[n - 1].title in target.text


def test_day_page_counts_the_items_skipped_as_not_about_ai_per_kind(
    memory_server: ServerThread, demo_day: BuiltDay
) -> None:
    kinds = demo_day.digests["en"].kinds
    assert (len(kinds["news"].skipped), len(kinds["papers"].skipped)) == (54, 0)  # as the report
    words = {
        "ko": "AI와 무관해 제외한 항목 54건은 집계하지 않았습니다.",
        "en": "54 items skipped as not about AI are not counted.",
    }
    per_source = {  # and per source in the build list, as the report's footer
        "ko": [
            "geeknews (news): 50 (AI와 무관 29건 제외)",
            "hackernews (news): 30 (AI와 무관 25건 제외)",
        ],
        "en": [
            "geeknews (news): 50 (29 skipped as not about AI)",
            "hackernews (news): 30 (25 skipped as not about AI)",
        ],
    }
    for lang, line in words.items():
        root = parse(page(memory_server, f"/{DAY}?lang={lang}"))
        ids = by_id(root)
        assert [p.text for p in ids["news"].all("p", "skipped")] == [line]
        assert ids["papers"].all("p", "skipped") == []  # arXiv is trusted: nothing skipped
        build = [li.text for li in root.all("section", "build")[0].all("li")]
        assert [t for t in build if "skipped" in t or "무관" in t] == per_source[lang]
        assert "arxiv (papers): 138" in build


def test_others_is_counted_on_the_day_page_and_never_a_section(
    others_server: ServerThread, others_day: BuiltDay
) -> None:
    for lang, digest, html, root in day_pages(others_server, others_day):
        ids = by_id(root)
        counted = {k: kd.counts["others"] for k, kd in digest.kinds.items()}
        assert counted["news"] > 1 and counted["papers"] >= 1  # the fixture has some
        for kind, n in counted.items():
            shown = [p.text for p in ids[kind].all("p", "others")]
            said = f"{n} items in Others" if lang == "en" else f"기타(Others) {n}건"
            assert len(shown) == 1 and shown[0].startswith(said), (lang, kind, shown)
        sections = [s.attrs["id"] for s in root.all("section", "section")]
        assert len(sections) == len(digest.sections) > 0
        assert not [s for s in sections if s.endswith("-others")]
        titles = [h.text for s in root.all("section", "section") for h in s.all("h3")]
        assert "Others" not in titles
        assert "/others" not in html and "#news-others" not in html
    page(others_server, f"/{DAY}/news/others", status=404)


def test_home_is_the_newest_day_and_days_link_each_other(memory_server: ServerThread) -> None:
    home = page(memory_server, "/")
    assert f"<title>Daily Artificial Intelligence Insights — {HOSTILE_DATE}</title>" in home
    assert f'rel="prev" href="/{DAY}"' in home
    older = page(memory_server, f"/{DAY}")
    assert f'rel="next" href="/{HOSTILE_DATE}"' in older


def test_charts_have_alt_text_and_load(memory_server: ServerThread, demo_day: BuiltDay) -> None:
    root = parse(page(memory_server, f"/{DAY}"))
    imgs = root.all("img")
    assert {i.attrs["src"] for i in imgs} == {f"/chart/{DAY}/{n}.png" for n in demo_day.charts}
    for img in imgs:
        assert len(img.attrs["alt"]) > 20
        code, headers, body = get(memory_server, img.attrs["src"])
        assert code == 200 and headers["Content-Type"] == "image/png"
        assert body == demo_day.charts[img.attrs["src"].rsplit("/", 1)[1][:-4]]
    papers = next(i for i in imgs if i.attrs["src"].endswith("/papers.png"))
    llm = demo_day.digests["ko"].kinds["papers"].counts["llm"]
    assert f"LLM {llm}," in papers.attrs["alt"]  # the counts, in words


def test_open_graph_unfurls_with_the_days_chart(memory_server: ServerThread) -> None:
    root = parse(page(memory_server, f"/{DAY}"))
    assert meta(root, "og:title").endswith(DAY)
    assert meta(root, "og:image") == f"{memory_server.url}/chart/{DAY}/papers.png"
    assert meta(root, "og:url") == f"{memory_server.url}/{DAY}"
    assert meta(root, "twitter:card") == "summary_large_image"
    assert "LLM" in meta(root, "og:description")
    section = parse(page(memory_server, f"/{DAY}/news/llm"))
    assert meta(section, "og:image") == f"{memory_server.url}/chart/{DAY}/news.png"
    said = meta(section, "og:description")  # its first part in words, without [n] marks
    assert said.startswith("LLM 분야의 오늘") and "‘모델’, ‘에이전트’" in said and "[" not in said


def test_open_graph_of_a_category_names_its_counts_and_shows_its_trend(
    memory_server: ServerThread, demo_day: BuiltDay
) -> None:
    base, counts = memory_server.url, demo_day.digests["ko"].kinds
    news, papers = counts["news"].counts["llm"], counts["papers"].counts["llm"]
    root = parse(page(memory_server, "/category/llm"))
    assert meta(root, "og:title") == "LLM — 날짜별"
    assert meta(root, "og:url") == f"{base}/category/llm"
    description = meta(root, "og:description")
    assert description.startswith(f"LLM · {HOSTILE_DATE}: News {news}건 · Papers {papers}건 — ")
    # then the newest section's (news, LLM) first part in words, without its [n] marks
    assert "LLM 분야의 오늘" in description and "‘모델’, ‘에이전트’" in description
    assert "[" not in description and len(description) <= 280
    # papers has a trend chart (news has none on the demo day): the unfurl shows it
    assert meta(root, "og:image") == f"{base}/chart/{HOSTILE_DATE}/papers-trend.png"
    assert meta(root, "og:image:alt") == f"Papers — 최근 7일 추이, {HOSTILE_DATE}"
    assert meta(root, "twitter:card") == "summary_large_image"
    business = parse(page(memory_server, "/category/ai-business?lang=en"))  # news only
    assert meta(business, "og:title") == "AI Business — day by day"
    n = demo_day.digests["en"].kinds["news"].counts["ai-business"]
    assert meta(business, "og:description").startswith(
        f"AI Business · {HOSTILE_DATE}: News {n} items — The top 8 of today's {n}"
    )
    assert meta(business, "og:image") == "" and meta(business, "twitter:card") == "summary"


def test_open_graph_of_a_search_says_what_it_found(memory_server: ServerThread) -> None:
    base = memory_server.url
    root = parse(page(memory_server, "/search?q=diffusion+models&lang=en"))
    hits = [h.all("p", "hit-title")[0].text for h in root.all("li", "hit")]
    days = [h.all("a", "hit-day")[0].text for h in root.all("li", "hit")]
    total = root.all("p", "total")[0].text.split()[0]
    assert meta(root, "og:title") == "Search results for ‘diffusion models’"
    assert meta(root, "og:url") == f"{base}/search?q=diffusion+models&lang=en"
    description = meta(root, "og:description")
    first = "; ".join(f"{t} ({d})" for t, d in zip(hits[:3], days[:3], strict=True))
    assert description == f"{total} results: {first}"
    ko = parse(page(memory_server, "/search?q=" + quote("에이전트")))
    assert meta(ko, "og:title") == "‘에이전트’ 검색 결과"
    assert meta(ko, "og:description").startswith("검색 결과 ") and "에이전트" in meta(
        ko, "og:description"
    )
    none = parse(page(memory_server, "/search?q=qqqzzzxxx"))
    assert meta(none, "og:description").startswith("‘qqqzzzxxx’에 대한 결과가 없습니다")
    empty = parse(page(memory_server, "/search?lang=en"))
    assert meta(empty, "og:title") == "Search every day"
    assert "news, papers and summaries" in meta(empty, "og:description")


def test_language_switch_where_both_were_built(memory_server: ServerThread) -> None:
    root = parse(page(memory_server, f"/{DAY}"))
    langs = root.all("span", "langs")[0]
    assert [a.attrs["href"] for a in langs.all("a")] == [f"/{DAY}?lang=en"]
    en = page(memory_server, f"/{DAY}?lang=en")
    assert "Main themes" in en and "주요 주제 및 테마" not in en
    assert 'href="/2024-10-04/papers/llm?lang=en"' in en  # links keep the language


def test_section_page_links_the_days_around_it(memory_server: ServerThread) -> None:
    html = page(memory_server, f"/{DAY}/papers/llm")
    root = parse(html)
    assert len(root.all("li", "part")) == 5
    assert f'rel="next" href="/{HOSTILE_DATE}/papers/llm"' in html
    assert 'rel="prev"' not in html  # the demo day is the oldest
    assert 'href="/category/llm"' in html


def test_category_page_trend_and_recent_sections(
    memory_server: ServerThread, demo_day: BuiltDay
) -> None:
    html = page(memory_server, "/category/llm")
    root = parse(html)
    svgs = root.all("svg")
    assert len(svgs) == 2  # llm is a category of news and of papers
    bars = svgs[1].all("rect")
    n = demo_day.digests["ko"].kinds["papers"].counts["llm"]
    assert [b.text.strip() for b in bars] == [f"{DAY}: {n}", f"{HOSTILE_DATE}: {n}"]
    assert f"{DAY} {n}" in svgs[1].all("title")[0].text
    recent = root.all("details", "recent")
    assert len(recent) == 4 and "open" in recent[0].attrs
    assert len(root.all("li", "part")) == 4 * 5


def test_search_ranks_korean_and_english_and_pages(memory_server: ServerThread) -> None:
    root = parse(page(memory_server, "/search?q=" + quote("에이전트")))
    hits = root.all("li", "hit")
    assert hits and all("에이전트" in "".join(m.text for m in h.all("mark")) for h in hits[:5])
    first = parse(page(memory_server, "/search?q=diffusion+models"))
    second = parse(page(memory_server, "/search?q=diffusion+models&page=2"))
    titles1 = [h.all("p", "hit-title")[0].text for h in first.all("li", "hit")]
    titles2 = [h.all("p", "hit-title")[0].text for h in second.all("li", "hit")]
    assert len(titles1) == 10 and titles2 and not set(titles1) & set(titles2)
    assert "Diffusion" in titles1[0] or "Generative" in titles1[0]
    day_links = {a.attrs["href"] for a in first.all("a", "hit-day")}
    assert day_links <= {f"/{DAY}", f"/{HOSTILE_DATE}"}
    assert 'rel="next"' in page(memory_server, "/search?q=diffusion+models")


def test_search_without_words_or_hits_says_so(memory_server: ServerThread) -> None:
    assert 'class="hit"' not in page(memory_server, "/search")
    none = page(memory_server, "/search?q=qqqzzzxxx")
    assert "qqqzzzxxx" in none and 'class="none"' in none
    odd = page(memory_server, "/search?q=%3Cscript%3E&page=banana")
    assert "<script>" not in odd


def test_hostile_text_is_escaped_and_never_linked(memory_server: ServerThread) -> None:
    for path in (
        f"/{HOSTILE_DATE}",
        f"/{HOSTILE_DATE}/papers/llm",
        "/category/llm",
        "/search?q=" + quote("click me onerror"),
    ):
        html = page(memory_server, path)
        assert "&lt;script&gt;alert(" in html, path
        assert "<script" not in html and "<img src=x" not in html and "<iframe" not in html
        hrefs = re.findall(r'(?:href|src)="([^"]*)"', html)
        assert all(h.startswith(("/", "#", "http://", "https://")) for h in hrefs), path
    assert HOSTILE_TITLE.startswith("<script>")


def test_every_response_forbids_script(memory_server: ServerThread) -> None:
    for path in (f"/{DAY}", "/feed.xml", f"/chart/{DAY}/papers.png", "/static/site.css", "/nope"):
        _, headers, _ = get(memory_server, path)
        csp = headers["Content-Security-Policy"]
        assert "script-src 'none'" in csp and "default-src 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/2024-10-09", "2024-10-04"),  # a day not published: the recent ones listed
        ("/2024-13-45", "2024-10-04"),  # not a date at all
        ("/2024-10-04/papers/nope", "/2024-10-04"),
        ("/category/nope", "/category/llm"),
        ("/category/others", "/category/llm"),
        ("/chart/2024-10-04/nope.png", ""),
        ("/nothing/here", ""),
    ],
)
def test_what_is_not_there_is_a_404_page_that_helps(
    memory_server: ServerThread, path: str, says: str
) -> None:
    html = page(memory_server, path, status=404)
    assert says in html


def test_feed_is_valid_atom_one_entry_per_day_and_language(memory_server: ServerThread) -> None:
    code, headers, body = get(memory_server, "/feed.xml")
    assert code == 200 and headers["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    feed = parsed.feed
    assert feed.title and feed.id and feed.updated and feed.author
    assert any(link.rel == "self" for link in feed.links)
    got = [(e.link, e.title) for e in parsed.entries]
    base = memory_server.url
    assert [link for link, _ in got] == [
        f"{base}/{HOSTILE_DATE}",
        f"{base}/{HOSTILE_DATE}?lang=en",
        f"{base}/{DAY}",
        f"{base}/{DAY}?lang=en",
    ]
    for e in parsed.entries:
        assert e.id and e.title and e.updated and "LLM" in e.summary
    assert b"<script>" not in body


def test_public_url_makes_absolute_links(demo_day: BuiltDay) -> None:
    from core.search.memory import MemorySearch
    from web import MemoryReader, Site

    async def make() -> Site:
        return Site(
            days=MemoryReader([demo_day]),
            search=MemorySearch([demo_day]),
            public_url="https://digest.example.org",
        )

    server = ServerThread(make).start()
    try:
        root = parse(page(server, f"/{DAY}"))
        assert meta(root, "og:image") == f"https://digest.example.org/chart/{DAY}/papers.png"
        feed = feedparser.parse(get(server, "/feed.xml")[2])
        assert feed.entries[0].link == f"https://digest.example.org/{DAY}"
    finally:
        server.stop()
