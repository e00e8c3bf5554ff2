"""Korean words, found where a reader sees them, and glossed to English for the static model.

Korean attaches particles to the end of a word (규제를, 규제는) and writes compounds without
spaces (인공지능규제), but a word never starts inside another: "법" (law) must not match inside
"대처법" (how to cope). So a Korean keyword or glossary word matches at the start of a run of
Hangul, and again right after a word that matched; a one-syllable word only when nothing or a
particle follows it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
PARTICLES = frozenset(
    "은 는 이 가 을 를 의 에 와 과 로 도 만 들 형 용 적 "
    "에서 에게 으로 처럼 까지 부터 보다 들이 들을 들의 이다 하는 하고 했다 한다 된 되는".split()
)


def has_hangul(text: str) -> bool:
    return _HANGUL.search(text) is not None


class Vocabulary:
    """Korean words to look for, with what finding them fast needs."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(w for w in words if w and HANGUL_RUN.fullmatch(w))
        self.longest = max((len(w) for w in self.words), default=0)
        self._heads = tuple(sorted({w[:1] for w in self.words if len(w) > 1}))

    def words_in_run(self, run: str) -> list[str]:
        """The words a run of Hangul is made of, from its start, longest first; stops at the
        first stretch that is not a word."""
        found: list[str] = []
        at = 0
        while at < len(run):
            rest = run[at:]
            word = next(
                (
                    rest[:n]
                    for n in range(min(self.longest, len(rest)), 0, -1)
                    if rest[:n] in self.words and self._stands_alone(rest[:n], rest[n:])
                ),
                None,
            )
            if word is None:
                break
            found.append(word)
            at += len(word)
        return found

    def _stands_alone(self, word: str, after: str) -> bool:
        """A one-syllable word counts only before nothing, a particle or another word: "글"
        (writing) in "글을", never in "글로벌" (global)."""
        if len(word) > 1 or not after or after in PARTICLES:
            return True
        return after.startswith(self._heads) and bool(self.words_in_run(after))

    def find(self, text: str) -> list[str]:
        """Every word of `text`, in order."""
        out: list[str] = []
        for run in HANGUL_RUN.findall(text):
            out.extend(self.words_in_run(run))
        return out


@lru_cache(maxsize=1)
def glossary() -> dict[str, str]:
    """The bundled Korean -> English glossary (core/classify/data/glossary_ko.toml)."""
    text = resources.files("core.classify.data").joinpath("glossary_ko.toml").read_text("utf-8")
    words = tomllib.loads(text).get("words", {})
    return {str(k): str(v) for k, v in words.items()}


@lru_cache(maxsize=1)
def _glossary_vocabulary() -> Vocabulary:
    return Vocabulary(glossary())


def gloss(text: str) -> str:
    """`text` with its Korean replaced by English glosses of the words the glossary knows (and
    the rest of the Korean dropped: the static model cannot read it)."""
    if not has_hangul(text):
        return text
    table, vocabulary = glossary(), _glossary_vocabulary()

    def glossed(m: re.Match[str]) -> str:
        return " ".join(table[w] for w in vocabulary.words_in_run(m.group(0)))

    return " ".join(HANGUL_RUN.sub(glossed, text).split())
