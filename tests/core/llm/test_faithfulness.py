"""Read as a careful reader would: every published summary cites only its own sources, carries
no link that is not one of them and no markup, and is about its own sources — with a good model,
and whatever a sloppy model answers (then the section falls back, saying which rule broke)."""

from __future__ import annotations

import pytest

from core.pipeline import BuiltDay
from tests.core.llm.conftest import build, complete_report, engine_for
from tests.core.llm.reader import bad_citations, foreign_urls, markup, own_words_lead
from tests.doubles.llm_server import LLMServer


def _read(built: BuiltDay) -> None:
    items = {i.id: i for i in built.items}
    for digest in built.digests.values():
        for s in digest.sections:
            where = (digest.lang, s.kind, s.category, s.mode)
            assert bad_citations(s) == [], where
            assert foreign_urls(s) == [], where
            assert markup(s) == [], where
            cited = {r.item_id for r in s.sources}
            assert cited <= {i.id for i in built.items if built.labels[i.id] == s.category}
        assert own_words_lead(digest.sections, items) == []


def test_a_good_model_is_read_as_grounded_in_both_languages(server, settings, results) -> None:
    built = build(engine_for(settings), results, langs=("ko", "en"))
    complete_report(built)  # every section by the LLM
    _read(built)


@pytest.mark.parametrize(
    ("fault", "why"),
    [
        ("wrong_numbers", "but the sources are [1].."),
        ("invented_urls", "contains a URL; write plain text only"),
        ("mixed_language", "not written in Korean"),
        ("missing_parts", "no sentence for source ["),
    ],
)
def test_a_sloppy_model_never_reaches_the_reader(
    server: LLMServer, settings, results, fault: str, why: str
) -> None:
    server.add_fault(fault, schema="section_summary")
    built = build(engine_for(settings), results)
    sections = built.digests["ko"].sections
    complete_report(built, fallback=[(s.kind, s.category) for s in sections])
    # a one-source section missing its only sentence has an empty list: said as such
    alone = "'sources' is empty" if fault == "missing_parts" else why
    assert all(why in s.note or (len(s.sources) == 1 and alone in s.note) for s in sections), {
        s.note for s in sections
    }
    _read(built)


def test_markup_is_stripped_when_harmless_and_refused_otherwise(server, settings, results) -> None:
    server.add_fault("markdown", schema="section_summary")
    built = build(engine_for(settings), results)
    sections = built.digests["ko"].sections
    kept = [s for s in sections if s.mode == "llm"]
    fell = [s for s in sections if s.mode != "llm"]
    assert kept and fell  # emphasis is removed; links, headings, HTML, images, mentions refused
    assert {s.note.split(" contains ")[1].split(";")[0] for s in fell} <= {
        "a URL",
        "a markdown link",
        "a heading",
        "HTML",
        "an image",
        "an @-mention",
    }
    _read(built)


def test_prose_around_the_json_is_no_reason_to_fall_back(server, settings, results) -> None:
    server.add_fault("prose_json", schema="section_summary")
    complete_report(build(engine_for(settings), results))
