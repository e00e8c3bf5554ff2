"""The site's links, in core.permalink's scheme: path-only inside pages, absolute (from
DIGEST_PUBLIC_URL or the request's own address) in the feed and the Open Graph tags."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from core import permalink


@dataclass(frozen=True)
class Links:
    base: str  # "" for path-only links, else "https://host[/prefix]"
    default_lang: str

    @property
    def _root(self) -> str:
        return self.base or "/"  # permalink gives "" for no base; "/" keeps paths

    def home(self, lang: str = "") -> str:
        return self._root.rstrip("/") + "/" + self._lang_query(lang)

    def day(self, date: str, lang: str = "") -> str:
        return permalink.day_url(self._root, date, lang, self.default_lang)

    def section(self, date: str, kind: str, category: str, lang: str = "") -> str:
        return permalink.section_url(self._root, date, kind, category, lang, self.default_lang)

    def category(self, category: str, lang: str = "") -> str:
        return permalink.category_url(self._root, category, lang, self.default_lang)

    def search(self, words: str = "", lang: str = "", page: int = 1) -> str:
        params: dict[str, str] = {}
        if words:
            params["q"] = words
        if lang and lang != self.default_lang:
            params["lang"] = lang
        if page > 1:
            params["page"] = str(page)
        url = self._root.rstrip("/") + "/search"
        return url + ("?" + urlencode(params) if params else "")

    def feed(self) -> str:
        return self._root.rstrip("/") + "/feed.xml"

    def chart(self, date: str, name: str) -> str:
        return self._root.rstrip("/") + f"/chart/{quote(date)}/{quote(name)}.png"

    def static(self, path: str) -> str:
        return self._root.rstrip("/") + "/static/" + path

    def _lang_query(self, lang: str) -> str:
        return "?" + urlencode({"lang": lang}) if lang and lang != self.default_lang else ""


__all__ = ["Links"]
