"""The configured categories of each kind, loaded from TOML (shipped default: data/taxonomy.toml).

A category is referred to by its `id` everywhere (Redis keys, job ids, LLM enums); `name` is for
people. `resolve()` turns what a person typed (any case, an alias, a unique prefix) into an id.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from core.items import KINDS, Kind

OTHERS = "others"
NOT_AI = "not_ai"  # what a classifier answers for an item that is not about AI; never a category


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    kind: Kind
    description: str = ""
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    arxiv: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()  # example titles the semantic classifier learns from

    @property
    def is_section(self) -> bool:
        """Others is counted, never a section."""
        return self.id != OTHERS


@dataclass(frozen=True)
class Taxonomy:
    categories: dict[Kind, tuple[Category, ...]] = field(default_factory=dict)

    def of(self, kind: Kind) -> tuple[Category, ...]:
        return self.categories.get(kind, ())

    def sections(self, kind: Kind) -> tuple[Category, ...]:
        return tuple(c for c in self.of(kind) if c.is_section)

    def ids(self, kind: Kind) -> list[str]:
        return [c.id for c in self.of(kind)]

    def get(self, kind: Kind, category_id: str) -> Category:
        for c in self.of(kind):
            if c.id == category_id:
                return c
        raise KeyError(f"no category {category_id!r} among {kind}")

    def name(self, kind: Kind, category_id: str) -> str:
        try:
            return self.get(kind, category_id).name
        except KeyError:
            return category_id

    def resolve(self, word: str, kind: Kind | None = None) -> list[Category]:
        """Categories `word` names, exactly (id, name, alias) or else as a unique-ish prefix.

        With kind None both kinds are searched; the same id in both kinds yields both.
        """
        w = _norm(word)
        if not w:
            return []
        kinds = (kind,) if kind else KINDS
        pool = [c for k in kinds for c in self.sections(k)]
        exact = [c for c in pool if w in _spellings(c)]
        if exact:
            return exact
        return [c for c in pool if any(s.startswith(w) for s in _spellings(c)) and len(w) >= 2]

    def suggest(self, word: str, kind: Kind | None = None) -> list[str]:
        """Close matches for an unknown category word, as names people can type."""
        kinds = (kind,) if kind else KINDS
        names: dict[str, str] = {}
        for k in kinds:
            for c in self.sections(k):
                for s in _spellings(c):
                    names.setdefault(s, c.name)
        hits = difflib.get_close_matches(_norm(word), list(names), n=3, cutoff=0.6)
        out: list[str] = []
        for h in hits:
            if names[h] not in out:
                out.append(names[h])
        return out


def _norm(s: str) -> str:
    return " ".join(s.lower().replace("_", " ").replace("-", " ").split())


@lru_cache(maxsize=4096)  # slash commands resolve words on every request
def _spellings(c: Category) -> frozenset[str]:
    return frozenset({_norm(c.id), _norm(c.name), *(_norm(a) for a in c.aliases)})


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Load a taxonomy file; None loads the shipped default. Raises ValueError on a bad file."""
    if path is None:
        text = resources.files("core.data").joinpath("taxonomy.toml").read_text("utf-8")
        origin = "core/data/taxonomy.toml"
    else:
        text = Path(path).read_text("utf-8")
        origin = str(path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ValueError(f"{origin}: not valid TOML: {e}") from e
    cats: dict[Kind, tuple[Category, ...]] = {}
    for kind in KINDS:
        entries = raw.get(kind, [])
        seen: set[str] = set()
        out: list[Category] = []
        for entry in entries:
            cid = str(entry.get("id", "")).strip()
            if cid == NOT_AI:
                raise ValueError(f"{origin}: {kind} category id {NOT_AI!r} is reserved")
            if not cid or not cid.replace("-", "").replace("_", "").isalnum():
                raise ValueError(
                    f"{origin}: {kind} category id {cid!r} must be letters, digits, - or _"
                )
            if cid in seen:
                raise ValueError(f"{origin}: {kind} category id {cid!r} appears twice")
            seen.add(cid)
            out.append(
                Category(
                    id=cid,
                    name=str(entry.get("name", cid)),
                    kind=kind,
                    description=str(entry.get("description", "")),
                    aliases=tuple(str(a) for a in entry.get("aliases", [])),
                    keywords=tuple(str(k).lower() for k in entry.get("keywords", [])),
                    arxiv=tuple(str(a) for a in entry.get("arxiv", [])),
                    examples=tuple(str(e) for e in entry.get("examples", [])),
                )
            )
        if out and OTHERS not in seen:
            out.append(Category(id=OTHERS, name="Others", kind=kind))
        cats[kind] = tuple(out)
    return Taxonomy(cats)
