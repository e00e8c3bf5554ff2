"""Small context windows: a section too big for the model is asked in chunks of its sources
(all at once) and the answers merged — planned from OPENAI_CONTEXT_TOKENS, or learned from a
server that says its window; a server that silently cuts the prompt is caught by validation."""

from __future__ import annotations

from pathlib import Path

from core.llm.assemble import merge, part_texts
from core.llm.validate import Claim, Draft
from tests.core.llm.conftest import build, complete_report, engine_for, make_settings
from tests.doubles.llm_dialects import tokens
from tests.doubles.llm_replies import prompt_of, task_of
from tests.doubles.llm_server import LLMServer

WINDOW = 2600  # a Korean section of 8 sources needs ~4,000 tokens: it goes in two chunks
CHUNKED = "below are its top items number"


def _summaries(server: LLMServer) -> list[dict]:  # type: ignore[type-arg]
    return [b for b in server.requests if task_of(b) == "section_summary"]


def test_a_server_that_names_its_window_gets_chunks_that_fit(server, settings, results) -> None:
    server.set_dialect("vllm")
    server.context_tokens = WINDOW
    built = build(engine_for(settings), results)
    complete_report(built)  # every section written by the LLM
    asks = _summaries(server)
    chunked = [b for b in asks if CHUNKED in prompt_of(b)]
    assert chunked, "no section was asked in chunks"
    for body in chunked:  # each chunk fitted: the server would have refused it otherwise
        assert tokens(prompt_of(body)) + body["max_tokens"] <= WINDOW


def test_a_silently_cut_prompt_fails_validation_and_a_set_window_avoids_it(
    server: LLMServer, tmp_path: Path, results
) -> None:
    server.set_dialect("ollama")
    server.context_tokens = WINDOW
    cut = build(engine_for(make_settings(server, tmp_path / "a")), results)
    fallen = [s for s in cut.digests["ko"].sections if s.mode != "llm"]
    assert fallen and all("no sentence for source" in s.note for s in fallen)

    server.requests.clear()
    settings = make_settings(server, tmp_path / "b", context_tokens=WINDOW)
    complete_report(build(engine_for(settings), results))
    for body in _summaries(server):
        assert tokens(prompt_of(body)) + body["max_tokens"] <= WINDOW
    assert any(CHUNKED in prompt_of(b) for b in _summaries(server))


def _draft(points: dict[int, str], term: str, refs: tuple[int, ...]) -> Draft:
    claim = Claim(f"Theme of {refs}.", refs)
    return Draft(
        points,
        (claim, Claim(f"Second theme of {refs}.", refs)),
        (Claim(f"{term} matters.", refs, term),),
        (Claim(f"Impact of {refs}.", refs),),
        (Claim(f"Conclusion of {refs}.", refs),),
    )


def test_chunk_answers_merge_into_one_section() -> None:
    a = _draft({1: "One.", 2: "Two."}, "LoRA", (1, 2))
    b = _draft({3: "Three.", 4: "Four."}, "lora", (3, 4))
    merged = merge([a, b])
    assert merged.points == {1: "One.", 2: "Two.", 3: "Three.", 4: "Four."}
    assert [c.sources for c in merged.themes] == [(1, 2), (3, 4), (1, 2)]  # in turns, up to 3
    assert [(k.term, k.sources) for k in merged.keywords] == [("LoRA", (1, 2, 3, 4))]
    assert len(merged.conclusion) == 2


def test_the_code_places_every_mark_and_says_nothing_twice(results) -> None:
    from core.plan import SectionInput

    items = tuple(i for r in results for i in r.items)[:3]
    inp = SectionInput("2024-10-04", "en", "papers", "llm", "LLM", "", items, 3)
    draft = Draft(
        {1: "It reports X.", 2: "It reports Y!", 3: "It reports Z"},
        (Claim("It reports X.", (1,)), Claim("X and Y share a method.", (1, 2))),
        (Claim("Used for Z.", (3,), "Z-term"),),
        (Claim("Cheaper training.", (2, 3)),),
        (Claim("Watch X.", (1,)),),
    )
    texts = part_texts(draft, inp)
    assert texts["themes"] == "X and Y share a method [1][2]."  # the repeat of [1]'s line is gone
    lines = texts["events"].splitlines()
    assert lines[1].endswith(": It reports Y [2]!") and lines[2].endswith(": It reports Z [3]")
    assert lines[0].startswith(f"- “{items[0].title[:40]}")
    assert texts["keywords"] == "- Z-term: Used for Z [3]."
    assert texts["impact"] == "Cheaper training [2][3]."
