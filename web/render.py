"""The template engine: Jinja2 with autoescaping on for every template, undefined names an
error. Every untrusted string reaches HTML through a `{{ … }}` here, escaped exactly once; no
template marks anything `|safe` and no Python code builds HTML."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from web.labels import text


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    return env


def words(lang: str) -> Callable[..., str]:
    """The `t('key', n=…)` function templates call for words in the page's language."""

    def t(key: str, /, **values: Any) -> str:
        return text(lang, key, **values)

    return t


__all__ = ["environment", "words"]
