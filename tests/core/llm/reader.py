"""A careful reader of published sections, independent of the code that wrote them: does a
summary cite only its own sources, carry no link that is not one of them, no markup, and talk
about its own sources rather than another section's? (tests and bench/faithfulness.py)"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

from core.digest import Section
from core.items import Item

_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s)\]>\"']+")
_MARKUP = {
    "link": re.compile(r"\]\("),
    "image": re.compile(r"!\["),
    "heading": re.compile(r"(?m)^\s{0,3}#{1,6}\s"),
    "html": re.compile(r"<\s*/?\s*[A-Za-z!][^<>]*>"),
    "mention": re.compile(r"(?i)@(?:everyone|here|channel)\b|<[@#!]"),
    "emphasis": re.compile(r"\*\*|__|`"),
}
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]{3,}|[\uac00-\ud7a3]{2,}")


def _text(section: Section) -> str:
    return "\n".join(p.text for p in section.parts)


def bad_citations(section: Section) -> list[int]:
    """Citations that point at no source of the section (0 stands for "cites nothing at all")."""
    cited = section.citations()
    n = len(section.sources)
    return sorted(c for c in cited if not 1 <= c <= n) if cited else [0]


def foreign_urls(section: Section) -> list[str]:
    """URLs in the summary whose host is not one of the section's sources' hosts."""
    hosts = {urlsplit(ref.url).hostname for ref in section.sources}
    out = []
    for url in _URL.findall(_text(section)):
        host = urlsplit(url if "://" in url else "http://" + url).hostname
        if host not in hosts:
            out.append(url)
    return out


def markup(section: Section) -> list[str]:
    """The kinds of markup in the summary's text."""
    text = _text(section)
    return [kind for kind, pattern in _MARKUP.items() if pattern.search(text)]


def words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def own_words_lead(sections: Sequence[Section], items: Mapping[str, Item]) -> list[str]:
    """Sections whose summary shares no more distinctive words with its own sources than with
    some other section's. Distinctive: found in the sources of at most half of the sections."""
    source_words = {
        id(s): set().union(
            *(words(items[r.item_id].title + " " + items[r.item_id].summary) for r in s.sources)
        )
        for s in sections
    }
    df = Counter(w for ws in source_words.values() for w in ws)
    common = {w for w, k in df.items() if k > max(1, len(sections) // 2)}
    failing = []
    for s in sections:
        said = words(_text(s)) - common
        own = len(said & source_words[id(s)])
        others = [len(said & source_words[id(t)]) for t in sections if t is not s]
        if others and own <= max(others):
            failing.append(f"{s.kind}/{s.category}: own {own}, another section {max(others)}")
    return failing
