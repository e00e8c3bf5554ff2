"""The taxonomy file: defaults close to the seed's, lookups by what people type, bad files
refused."""

from pathlib import Path

import pytest

from core.taxonomy import load_taxonomy

TAX = load_taxonomy()


def test_default_categories_are_the_seed_s() -> None:
    assert [c.name for c in TAX.sections("papers")] == [
        "LLM",
        "Multimodal",
        "Computer Vision",
        "Natural Language Processing",
        "Audio & Speech",
        "Reinforcement Learning",
        "Robotics",
        "Generative Models",
        "Model Training",
        "Inference Acceleration",
        "Healthcare AI",
        "AI Theory",
    ]
    assert [c.name for c in TAX.sections("news")] == [
        "AI Business",
        "AI Policy & Safety",
        "LLM",
        "Multimodal",
        "Computer Vision",
        "Research",
        "Products & Tools",
    ]
    assert TAX.ids("papers")[-1] == TAX.ids("news")[-1] == "others"


def test_resolve_aliases_case_and_prefixes() -> None:
    assert [c.id for c in TAX.resolve("CV", "papers")] == ["computer-vision"]
    assert [c.id for c in TAX.resolve("nlp")] == ["nlp"]
    assert [c.id for c in TAX.resolve("Reinforcement")] == ["rl"]
    assert {c.kind for c in TAX.resolve("llm")} == {"news", "papers"}
    assert [c.id for c in TAX.resolve("robo", "papers")] == ["robotics"]
    assert TAX.resolve("others") == []  # never a section
    assert TAX.suggest("robtics") == ["Robotics"]


def test_bad_files_are_refused_with_the_reason(tmp_path: Path) -> None:
    bad = tmp_path / "t.toml"
    bad.write_text('[[papers]]\nid = "a b"\nname = "A"\n')
    with pytest.raises(ValueError, match="letters, digits"):
        load_taxonomy(bad)
    bad.write_text('[[papers]]\nid = "a"\n[[papers]]\nid = "a"\n')
    with pytest.raises(ValueError, match="twice"):
        load_taxonomy(bad)
    bad.write_text("[[papers]\n")
    with pytest.raises(ValueError, match="not valid TOML"):
        load_taxonomy(bad)
