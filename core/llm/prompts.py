"""What every prompt is built from (classify_prompt.py and summary_prompt.py build the two calls).

Collected text is untrusted: a feed may carry "ignore previous instructions…". So the system
message says the sources are data, and they travel only inside one delimited block (<items> or
<sources>) as JSON, with `<` and `>` escaped so no text in them can close the block. Long
abstracts are cut to a token budget. Every builder is deterministic (same input, same prompt),
which is what makes the answer cache find a rebuild's answers.
"""

from __future__ import annotations

import json
import re

CLASSIFY_TEXT_TOKENS = 60  # a title and an abstract's opening say enough to pick a category
SUMMARY_TEXT_TOKENS = 2400  # abstract/description budget of a whole section, shared by sources
SOURCE_TEXT_MIN, SOURCE_TEXT_MAX = 80, 400  # per source, whatever the section's size
TITLE_TOKENS = 60
LANGUAGES = {"ko": "Korean", "en": "English"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def approx_tokens(text: str) -> int:
    """A tokenizer-free estimate: about 4 characters of ASCII per token, 1 per other character
    (Hangul syllables cost about a token each)."""
    ascii_chars = len(text.encode("ascii", "ignore"))  # counted in C: prompts are built often
    return (ascii_chars + 3) // 4 + (len(text) - ascii_chars)


def cut(text: str, tokens: int) -> str:
    """`text` on one line, cut at a word boundary to about `tokens` tokens."""
    text = " ".join(_CONTROL.sub(" ", text).split())
    if approx_tokens(text) <= tokens:
        return text
    budget = tokens * 4 - 4  # in ASCII characters; leave room for the ellipsis
    head = text[:budget]  # no character costs less than one
    if not head.isascii():
        end = 0
        while end < len(head) and budget > 0:
            budget -= 1 if ord(head[end]) < 128 else 4
            end += 1
        head = head[:end]
    if " " in head[len(head) // 2 :]:
        head = head.rsplit(" ", 1)[0]
    return head + "…"


def data_block(tag: str, payload: object) -> str:
    """`payload` as JSON inside <tag>…</tag>. Escaping < and > (valid JSON escapes, so the data
    decodes unchanged) means no text in it can open or close a tag."""
    if isinstance(payload, list):  # one row a line: readable, and no indentation to pay for
        body = "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in payload) + "\n]"
    else:
        body = json.dumps(payload, ensure_ascii=False)
    body = body.replace("<", "\\u003c").replace(">", "\\u003e")
    return f"<{tag}>\n{body}\n</{tag}>"


def language_name(lang: str) -> str:
    return LANGUAGES.get(lang, lang)
