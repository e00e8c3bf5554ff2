"""How a summary quotes its sources: titles and sentences visibly quoted, short, on one line,
unable to pass for a citation mark (an abstract's own "[16]" is not our source [16]) and unable
to act as markup anywhere the summary is shown (an abstract's "<TRK> token" stays text, a feed's
"**Breaking**" loses its stars, a "[link](…)" its link), whatever a renderer escapes."""

from __future__ import annotations

import re

TITLE_CHARS = 160
QUOTE_CHARS = 120

_REFERENCE = re.compile(r"\s*\[\s*\d{1,4}(?:\s*[,;–-]\s*\d{1,4})*\s*\]")
_MARKLIKE = re.compile(r"\[(\d{1,4})\]")
_INERT = str.maketrans({"<": "‹", ">": "›", "`": "'"})
_LINKLIKE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"\*\*|__")
_PING = re.compile(r"@(?=(?:everyone|here|channel)\b)", re.IGNORECASE)


def one_line(text: str) -> str:
    return " ".join(text.split())


def clip(text: str, limit: int) -> str:
    """`text` on one line, cut at a word boundary to at most `limit` characters."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if " " in head[limit // 2 :]:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:") + "…"


def inert(text: str) -> str:
    """`text` with nothing in it that any renderer could read as markup, a link or a mention."""
    text = _EMPHASIS.sub("", _LINKLIKE.sub(r"\1", text)).translate(_INERT)
    return _PING.sub("＠", text)


def strip_references(text: str) -> str:
    """A source sentence without its own reference marks: "… Challenge [16]." -> "… Challenge."."""
    return one_line(_REFERENCE.sub("", text))


def quote_title(title: str, lang: str) -> str:
    """「Title」 in Korean text, “Title” in English; any "[n]" in it written "(n)"."""
    text = inert(_MARKLIKE.sub(r"(\1)", clip(title, TITLE_CHARS)))
    return f"「{text}」" if lang == "ko" else f"“{text}”"


def quote_sentence(sentence: str, limit: int = QUOTE_CHARS) -> str:
    """A source's own sentence, short and visibly quoted: “…”."""
    text = inert(_MARKLIKE.sub(r"(\1)", clip(strip_references(sentence), limit)))
    return f"“{text.replace('“', '‘').replace('”', '’')}”"
