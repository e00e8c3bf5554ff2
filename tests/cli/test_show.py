"""`aidigest show` with typed flags (--kind, --category, --date) next to the chat grammar's words,
reading the sample day from a real Redis: each flag is read as its own value only, a bad one is
an error naming that flag, and its examples, written in flags, can be pasted back and work."""

from __future__ import annotations

import shlex

import pytest
from redis import Redis

from cli.main import main
from core.pipeline import BuiltDay
from tests import days

DAY = "2024-10-04"


@pytest.fixture(autouse=True)
def published(
    monkeypatch: pytest.MonkeyPatch, redis_url: str, redis_db: Redis[bytes], demo_day: BuiltDay
) -> None:
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "DIGEST_LANGUAGES", "DIGEST_PUBLIC_URL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("DIGEST_LANGUAGE", "en")
    monkeypatch.setenv("REDIS_URL", redis_url)
    days.publish(redis_db, demo_day)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["show", *argv])
    got = capsys.readouterr()
    return code, got.out, got.err.strip()


def pasted(example: str) -> list[str]:
    """An example of an error message (`aidigest show …`) as main()'s arguments."""
    words = shlex.split(example)
    assert words[:2] == ["aidigest", "show"], example
    return words[2:]


def test_flags_show_the_same_section_as_the_words(capsys: pytest.CaptureFixture[str]) -> None:
    code, by_words, _ = run(capsys, "papers", "cv", DAY)
    assert code == 0 and by_words.startswith("### Computer Vision")
    flags = ("--kind", "papers", "--category", "Computer Vision", "--date", DAY)
    assert run(capsys, *flags) == (0, by_words, "")
    code, both, _ = run(capsys, "--category", "cv", "--date", DAY)  # a category of both kinds
    assert code == 0 and both.count("### Computer Vision") == 2


def test_a_category_flag_is_only_a_category(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "LLM", "share", DAY)  # words: the grammar reads `share` apart
    assert code == 0 and "### LLM" in out
    code, out, err = run(capsys, "--category", "LLM share", "--date", DAY)
    assert (code, out) == (2, "")
    assert err == (
        "--category: I don't know the category 'LLM share'. Did you mean LLM? Each option "
        f"takes only its own value. Try: `aidigest show --category LLM --date {DAY}`"
    )
    code, out, _ = run(capsys, *pasted(err.split("`")[1]))
    assert code == 0 and out.count("### LLM") == 2  # news and papers of that day


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--kind", "bogus"], "--kind: 'bogus' is not a kind; use news, papers or all."),
        (["--date", "someday"], "--date: 'someday' is not a date I can read;"),
        (["--kind", "news", "--category", "robtics"], "--category: I don't know the category"),
    ],
)
def test_a_bad_flag_is_named(
    capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "") and err.startswith(said)
    assert "Try: `aidigest show --" in err  # the example in flags, too


def test_ambiguous_category_examples_paste_back(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--category", "AI", "--date", DAY)
    examples = err.split("`")[1::2]
    assert code == 2 and err.startswith("--category: 'AI' could be AI Business (news)")
    assert examples == [
        f"aidigest show --kind news --category 'AI Business' --date {DAY}",
        f"aidigest show --kind news --category 'AI Policy & Safety' --date {DAY}",
        f"aidigest show --kind papers --category 'AI Theory' --date {DAY}",
    ]
    for example, title in zip(
        examples, ["AI Business", "AI Policy & Safety", "AI Theory"], strict=True
    ):
        code, out, _ = run(capsys, *pasted(example))
        assert code == 0 and out.startswith(f"### {title}")


def test_words_and_flags_do_not_mix(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "papers", "--category", "LLM")
    assert (code, out) == (2, "")
    assert err == (
        "Give the words (aidigest show papers LLM) or the flags (--kind, --category, --date), "
        "not both."
    )
