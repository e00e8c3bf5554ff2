"""A page parsed just enough for tests: elements with their attributes and text, by id."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"meta", "link", "img", "input", "br", "hr", "source", "col", "area", "base", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[Element] = field(default_factory=list)

    def all(self, tag: str = "", cls: str = "") -> list[Element]:
        out = []
        for c in self.children:
            if (not tag or c.tag == tag) and (not cls or cls in c.attrs.get("class", "").split()):
                out.append(c)
            out += c.all(tag, cls)
        return out


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        for el in self.stack[1:]:
            el.text += data


def parse(html: str) -> Element:
    p = _Parser()
    p.feed(html)
    return p.root


def by_id(root: Element) -> dict[str, Element]:
    return {e.attrs["id"]: e for e in root.all() if "id" in e.attrs}


def meta(root: Element, prop: str) -> str:
    for m in root.all("meta"):
        if m.attrs.get("property") == prop or m.attrs.get("name") == prop:
            return m.attrs.get("content", "")
    return ""
