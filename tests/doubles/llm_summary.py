"""The LLM stand-in's section summaries: a well-behaved model, and the sloppy ones.

The answer is derived from the prompt alone: the numbered rows of its <sources> block (only the
rows the model "saw", when a server truncated the prompt), the language the system message asks
for ("language code: xx") and the section's name. A good answer has one sentence per source,
made of that source's own title words, and themes/keywords/impact/conclusion sentences carrying
the numbers of the sources whose words they use, in the requested language.

Sloppy models (fault kinds), as small local models behave:
  wrong_numbers (bad_citations)  numbers outside the sources, in the lists and in the text
  invented_urls   a URL and a link that are not among the sources
  markdown        emphasis (harmless), or a link, heading, HTML, image or @-mention
  mixed_language  every other source's sentence in the other language (at least one)
  missing_parts   no impact list, and one source without its sentence
  prose_json      "Sure! Here is the JSON" and a code fence around the answer
  wrong_language  all of it in the other language
  empty_part      an empty conclusion list
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

SLOPPY = frozenset(
    {
        *("wrong_numbers", "bad_citations", "invented_urls", "markdown", "mixed_language"),
        *("missing_parts", "prose_json", "wrong_language", "empty_part"),
    }
)
_LANG = re.compile(r"language code: ([A-Za-z-]+)")
_SECTION = re.compile(r"^Section: (.+?) \((?:news|papers)\)", re.MULTILINE)
_TITLE_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]{3,}|[\uac00-\ud7a3]{2,}")
_DULL = frozenset(
    "with from that this their using into over towards toward based model models "
    "large learning data via what your about after".split()
)


def _words(title: str) -> list[str]:
    return [w for w in dict.fromkeys(_TITLE_WORD.findall(title)) if w.lower() not in _DULL]


def _shared(rows: list[dict[str, Any]]) -> list[tuple[str, list[int]]]:
    """Title words and the numbers of the rows using them, most shared first."""
    where: dict[str, list[int]] = {}
    for row in rows:
        for w in _words(str(row.get("title", ""))):
            where.setdefault(w.lower(), []).append(int(row["n"]))
    return sorted(where.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:3]


def _point(row: dict[str, Any], lang: str) -> str:
    words = _words(str(row.get("title", ""))) or ["this"]
    topic = ", ".join(words[:2])
    if lang == "ko":
        return f"{topic}에 관한 새로운 연구 결과와 그 의미, 앞으로의 활용 가능성을 소개합니다."
    return f"It reports new work on {topic} and what it shows."


def good_answer(rows: list[dict[str, Any]], lang: str, section: str) -> dict[str, Any]:
    numbers = [int(r["n"]) for r in rows]
    shared = _shared(rows) or [(section, numbers)]
    ko = lang == "ko"
    lead = ", ".join(w for w, _ in shared[:2])
    lead_refs = sorted({n for _, ns in shared[:2] for n in ns})
    first = ", ".join(_words(str(rows[0].get("title", "")))[:2]) if rows else ""
    first = first or section
    return {
        "sources": [{"n": int(r["n"]), "sentence": _point(r, lang)} for r in rows],
        "themes": [
            {
                "sentence": f"이 섹션의 항목들은 주로 {lead}을(를) 다룹니다."
                if ko
                else f"These items centre on {lead}.",
                "sources": lead_refs,
            }
        ],
        "keywords": [
            {
                "term": w,
                "sentence": f"{w}은(는) 여러 항목에서 반복해 나오는 주제입니다."
                if ko
                else f"{w} recurs across the items.",
                "sources": ns,
            }
            for w, ns in shared
        ],
        "impact": [
            {
                "sentence": "이 항목들은 관련 연구와 제품 개발에 영향을 줄 수 있습니다."
                if ko
                else "Together these items may shape research and products in this area.",
                "sources": numbers,
            }
        ],
        "conclusion": [
            {
                "sentence": f"가장 먼저 살펴볼 항목은 {first} 관련 소식입니다."
                if ko
                else f"Start with the work on {first}.",
                "sources": numbers[:1],
            }
        ],
    }


def _variant(prompt: str, count: int) -> int:
    return int(hashlib.sha256(prompt.encode()).hexdigest()[:8], 16) % count


def sloppy(
    answer: dict[str, Any], fault: str, lang: str, rows: list[dict[str, Any]], prompt: str
) -> dict[str, Any]:
    """`answer` spoiled the way `fault` says (prose_json is applied to the text, elsewhere)."""
    n = max((int(r["n"]) for r in rows), default=1)
    if fault in ("wrong_numbers", "bad_citations"):
        answer["themes"][0]["sources"] += [n + 3, n + 7]
        answer["themes"][0]["sentence"] += f" [{n + 3}]"
        answer["sources"].append({"n": n + 5, "sentence": answer["sources"][0]["sentence"]})
    elif fault == "invented_urls":
        answer["sources"][0]["sentence"] += " Read more at https://evil.example/offer."
        answer["conclusion"][0]["sentence"] += " See www.evil.example for details."
    elif fault == "markdown":
        spoils: list[Callable[[str], str]] = [
            lambda s: f"**{s}** `code`",  # emphasis: harmless, removed
            lambda s: f"{s} [click here](http://evil.example/x)",
            lambda s: f"# Summary\n{s}",
            lambda s: f"<b>{s}</b>",
            lambda s: f"![img](http://evil.example/p.png) {s}",
            lambda s: f"{s} @everyone",
        ]
        spoil = spoils[_variant(prompt, len(spoils))]
        answer["themes"][0]["sentence"] = spoil(answer["themes"][0]["sentence"])
    elif fault == "mixed_language":
        other = "en" if lang == "ko" else "ko"
        pairs = list(zip(answer["sources"], rows, strict=False))
        for entry, row in pairs[1::2] or pairs[:1]:  # a one-source section: its only sentence
            entry["sentence"] = _point(row, other)
    elif fault == "missing_parts":
        answer.pop("impact")
        answer["sources"].pop()
    elif fault == "empty_part":
        answer["conclusion"] = []
    return answer


def summary_answer(rows: list[dict[str, Any]], prompt: str, fault: str = "") -> dict[str, Any]:
    lang_match, section_match = _LANG.search(prompt), _SECTION.search(prompt)
    lang = lang_match[1] if lang_match else "en"
    section = section_match[1] if section_match else "AI"
    if fault == "wrong_language":
        lang = "en" if lang == "ko" else "ko"
    rows = rows or [{"n": 1, "title": section}]
    answer = good_answer(rows, lang, section)
    return sloppy(answer, fault, lang, rows, prompt) if fault in SLOPPY else answer


def as_text(answer: dict[str, Any], fence: bool, prose: bool) -> str:
    """The answer as a model writes it: bare JSON, in a code fence, or with prose around."""
    text = json.dumps(answer, ensure_ascii=False)
    if fence or prose:
        text = f"```json\n{text}\n```"
    if prose:
        text = f"Sure! Here is the JSON you asked for:\n{text}\nLet me know if you need more."
    return text
