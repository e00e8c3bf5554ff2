"""Counts read right in both languages."""

from __future__ import annotations

from core import counting


def test_items() -> None:
    assert [counting.items(n, "en") for n in (0, 1, 2)] == ["0 items", "1 item", "2 items"]
    assert [counting.items(n, "ko") for n in (0, 1, 2)] == ["0건", "1건", "2건"]


def test_categories() -> None:
    assert [counting.categories(n, "en") for n in (0, 1, 5)] == [
        "0 categories",
        "1 category",
        "5 categories",
    ]
    assert counting.categories(1, "ko") == "카테고리 1개"
    assert counting.items(1, "fr") == "1 item"  # anything else reads as English
