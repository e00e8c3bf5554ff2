"""The offline classifier gives every item exactly one category of its kind."""

from core.classify import classify_item, classify_offline
from core.items import Item
from core.taxonomy import load_taxonomy

TAX = load_taxonomy()


def item(title: str, kind: str = "papers", summary: str = "", cats: tuple[str, ...] = ()) -> Item:
    return Item(
        id=f"x:{title}",
        kind=kind,
        title=title,
        url="https://x",
        source="t",  # type: ignore[arg-type]
        summary=summary,
        arxiv_categories=cats,
    )


def test_keywords_and_arxiv_hints() -> None:
    assert classify_item(item("Multi-Robot Motion Planning", cats=("cs.RO",)), TAX) == "robotics"
    assert classify_item(item("Scaling Language Models with Quality Data"), TAX) == "llm"
    assert classify_item(item("INT-FlashAttention: INT8 Quantization"), TAX) == (
        "inference-acceleration"
    )
    assert classify_item(item("Anything at all", cats=("cs.CV",)), TAX) == "computer-vision"


def test_korean_keywords_match_inside_words() -> None:
    news = item("정부, AI 규제를 강화한다", kind="news")
    assert classify_item(news, TAX) == "ai-policy-safety"


def test_no_signal_is_others_and_others_is_never_a_section() -> None:
    assert classify_item(item("A quiet afternoon", kind="news"), TAX) == "others"
    assert "others" not in [c.id for c in TAX.sections("news")]


def test_every_item_gets_exactly_one_category_of_its_own_kind() -> None:
    items = [item("LLM agents", kind="news"), item("Diffusion for video"), item("Nothing")]
    labels = classify_offline(items, TAX)
    assert set(labels) == {i.id for i in items}
    for i in items:
        assert labels[i.id] in TAX.ids(i.kind)
