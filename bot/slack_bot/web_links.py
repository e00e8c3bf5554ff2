"""Links from Slack to the web archive (core/permalink.py's scheme under DIGEST_PUBLIC_URL):
a day, a section, a chart image. With no public URL every link is "" and nothing links."""

from __future__ import annotations

from dataclasses import dataclass

from core import permalink
from core.digest import Section


@dataclass(frozen=True)
class WebLinks:
    base: str = ""  # DIGEST_PUBLIC_URL
    default_lang: str = "ko"  # DIGEST_LANGUAGE: pages in it carry no ?lang=

    def day(self, date: str, lang: str) -> str:
        return permalink.day_url(self.base, date, lang, self.default_lang)

    def section(self, s: Section) -> str:
        return permalink.section_url(
            self.base, s.date, s.kind, s.category, s.lang, self.default_lang
        )

    def chart(self, date: str, kind: str) -> str:
        """The distribution chart's image, which Slack fetches itself (no upload)."""
        return permalink.chart_url(self.base, date, kind)
