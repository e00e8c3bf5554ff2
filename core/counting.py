"""Counts in words, per language: "1 item", "2 items", "1건"; "1 category", "카테고리 2개"."""

from __future__ import annotations


def items(n: int, lang: str) -> str:
    if lang == "ko":
        return f"{n}건"
    return f"{n} item" if n == 1 else f"{n} items"


def categories(n: int, lang: str) -> str:
    if lang == "ko":
        return f"카테고리 {n}개"
    return f"{n} category" if n == 1 else f"{n} categories"
