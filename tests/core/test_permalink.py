"""The archive's URL scheme: one place, no links without a public URL."""

from core import permalink


def test_section_and_day_urls() -> None:
    base = "https://digest.example.org/"
    assert permalink.day_url(base, "2024-10-04") == "https://digest.example.org/2024-10-04"
    assert (
        permalink.section_url(base, "2024-10-04", "papers", "llm", "en", "ko")
        == "https://digest.example.org/2024-10-04/papers/llm?lang=en"
    )
    assert permalink.section_url(base, "2024-10-04", "papers", "llm", "ko", "ko").endswith("/llm")
    assert permalink.search_url(base, "diffusion 모델") == (
        "https://digest.example.org/search?q=diffusion+%EB%AA%A8%EB%8D%B8"
    )
    assert permalink.chart_url(base, "2024-10-04", "papers-trend") == (
        "https://digest.example.org/chart/2024-10-04/papers-trend.png"
    )


def test_no_public_url_means_no_links() -> None:
    assert permalink.day_url("", "2024-10-04") == ""
    assert permalink.search_url("", "x") == ""
    assert permalink.feed_url("") == ""
    assert permalink.chart_url("", "2024-10-04", "papers") == ""
