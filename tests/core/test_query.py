"""The /aidigest grammar: every rule with concrete values, plus "nothing a user types raises"."""

from __future__ import annotations

import itertools
import random
import re
from datetime import date, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.help_text import TOPICS, usage
from core.items import KINDS, Kind
from core.query import (
    INTERNAL_ERROR,
    DatesQuery,
    HelpQuery,
    Query,
    QueryError,
    ShowQuery,
    SubscribeQuery,
    SubscriptionsQuery,
    UnsubscribeQuery,
    parse,
)
from core.taxonomy import Category, load_taxonomy

TX = load_taxonomy()
TODAY = date(2024, 10, 4)
D = date(2024, 10, 4)


def p(text: str) -> Query | QueryError:
    return parse(text, TX, TODAY)


def err(text: str) -> str:
    got = p(text)
    assert isinstance(got, QueryError), f"{text!r} gave {got!r}"
    assert "/aidigest " in got.message
    return got.message


def examples(message: str) -> list[str]:
    return re.findall(r"`(/aidigest[^`]*)`", message)


# --- show queries ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ShowQuery((), None, None, False)),
        ("   ", ShowQuery((), None, None, False)),
        ("papers LLM 2024-10-04", ShowQuery(("papers",), "llm", D, False)),
        ("cv yesterday", ShowQuery((), "computer-vision", date(2024, 10, 3), False)),
        ("2024-10-04 nlp papers", ShowQuery(("papers",), "nlp", D, False)),
        ("-3", ShowQuery((), None, date(2024, 10, 1), False)),
        ("-0", ShowQuery((), None, D, False)),
        ("-3650", ShowQuery((), None, D - timedelta(days=3650), False)),
        ("today", ShowQuery((), None, D, False)),
        ("오늘", ShowQuery((), None, D, False)),
        ("어제", ShowQuery((), None, date(2024, 10, 3), False)),
        ("2024/10/04", ShowQuery((), None, D, False)),
        ("2024-1-5", ShowQuery((), None, date(2024, 1, 5), False)),
        ("2000-01-01", ShowQuery((), None, date(2000, 1, 1), False)),
        ("robotics", ShowQuery(("papers",), "robotics", None, False)),
        ("ai business", ShowQuery(("news",), "ai-business", None, False)),
        ("llm", ShowQuery((), "llm", None, False)),
        ("news llm", ShowQuery(("news",), "llm", None, False)),
        ("논문 llm", ShowQuery(("papers",), "llm", None, False)),
        ("뉴스", ShowQuery(("news",), None, None, False)),
        ("paper", ShowQuery(("papers",), None, None, False)),
        ("paper papers", ShowQuery(("papers",), None, None, False)),
        ("all", ShowQuery((), None, None, False)),
        ("all llm", ShowQuery((), "llm", None, False)),
        ("all robotics", ShowQuery(("papers",), "robotics", None, False)),
        ("papers ai", ShowQuery(("papers",), "ai-theory", None, False)),
        ("ROB", ShowQuery(("papers",), "robotics", None, False)),
        ("ai b", ShowQuery(("news",), "ai-business", None, False)),
        ("computer vision", ShowQuery((), "computer-vision", None, False)),
        ("Computer-Vision", ShowQuery((), "computer-vision", None, False)),
        ("computer_vision", ShowQuery((), "computer-vision", None, False)),
        (
            "computer vision papers -1",
            ShowQuery(("papers",), "computer-vision", date(2024, 10, 3), False),
        ),
        ("ai policy & safety", ShowQuery(("news",), "ai-policy-safety", None, False)),
        ("AI POLICY", ShowQuery(("news",), "ai-policy-safety", None, False)),
        ("audio & speech 2024-10-04", ShowQuery(("papers",), "audio-speech", D, False)),
        ("audio and speech", ShowQuery(("papers",), "audio-speech", None, False)),
        ("language model", ShowQuery((), "llm", None, False)),
        ("products & tools news", ShowQuery(("news",), "products-tools", None, False)),
        ("llm llm", ShowQuery((), "llm", None, False)),
        ("today 2024-10-04", ShowQuery((), None, D, False)),
        ("share papers llm", ShowQuery(("papers",), "llm", None, True)),
        ("papers share llm", ShowQuery(("papers",), "llm", None, True)),
        ("papers llm SHARE", ShowQuery(("papers",), "llm", None, True)),
        ("share", ShowQuery((), None, None, True)),
        ("/aidigest papers llm", ShowQuery(("papers",), "llm", None, False)),
        ("/AIDIGEST", ShowQuery((), None, None, False)),
        ("show papers llm", ShowQuery(("papers",), "llm", None, False)),
        ("papers, llm", ShowQuery(("papers",), "llm", None, False)),
    ],
)
def test_show(text: str, expected: ShowQuery) -> None:
    assert p(text) == expected


def test_any_order() -> None:
    for words in itertools.permutations(["2024-10-04", "nlp", "papers", "share"]):
        assert p(" ".join(words)) == ShowQuery(("papers",), "nlp", D, True)
    for words in itertools.permutations(["computer vision", "news", "yesterday"]):
        assert p(" ".join(words)) == ShowQuery(
            ("news",), "computer-vision", D - timedelta(1), False
        )


def test_every_category_by_id_name_and_alias() -> None:
    for kind in ("papers", "news"):
        for c in TX.sections(kind):
            for said in (c.id, c.name, c.name.upper(), *c.aliases):
                if said.lower() in ("papers",):  # the kind word wins over news' alias
                    continue
                got = p(f"{kind} {said}")
                assert got == ShowQuery((kind,), c.id, None, False), (kind, said, got)


# --- input hygiene ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ai policy &amp; safety", ShowQuery(("news",), "ai-policy-safety", None, False)),
        ("papers\x00llm", ShowQuery(("papers",), "llm", None, False)),
        ("papers\u200bllm", ShowQuery(("papers",), "llm", None, False)),
        ("\tpapers\n\nllm\r", ShowQuery(("papers",), "llm", None, False)),
        ("ｐａｐｅｒｓ ２０２４－１０－０４", ShowQuery(("papers",), None, D, False)),
    ],
)
def test_messy_input_still_reads(text: str, expected: ShowQuery) -> None:
    assert p(text) == expected


def test_too_long() -> None:
    assert "at most 500" in err("papers " * 100)
    assert isinstance(p("x" * 500), QueryError)  # read, just not a category


def test_slack_mentions_and_markdown_are_not_echoed() -> None:
    msg = err("<@U123|bob> papers")
    assert "Mentions" in msg and "<@" not in msg
    msg = err("@everyone")
    assert "@" not in msg.replace("/aidigest", "")
    assert "*" not in err("*bold*") and "`" not in err("`x`").replace("`/aidigest", "").replace(
        "`", "", 1
    )


# --- show errors ------------------------------------------------------------------------------


def test_ambiguous_prefix_lists_candidates_with_commands() -> None:
    msg = err("ai")
    for name in ("AI Theory", "AI Business", "AI Policy & Safety"):
        assert name in msg
    assert examples(msg) == [
        "/aidigest news AI Business",
        "/aidigest news AI Policy & Safety",
        "/aidigest papers AI Theory",
    ]


def test_unknown_category_suggests() -> None:
    assert err("robtics 2024-10-04") == (
        "I don't know the category 'robtics'. Did you mean Robotics? "
        "Try: `/aidigest papers Robotics 2024-10-04`"
    )
    assert "Did you mean LLM?" in err("news lml")
    msg = err("papers xyzzy")
    assert "Categories of papers:" in msg and "Robotics" in msg and "AI Business" not in msg
    assert examples(msg) == ["/aidigest papers LLM"]


def test_category_of_the_other_kind() -> None:
    assert err("news robotics") == (
        "Robotics is a papers category, not news. Try: `/aidigest papers Robotics`"
    )


@pytest.mark.parametrize("text", ["others", "papers other", "misc 2024-10-04", "news Others"])
def test_others_is_not_a_section(text: str) -> None:
    assert "Others is not a section" in err(text)


@pytest.mark.parametrize(
    ("text", "says", "example"),
    [
        ("2024-02-30", "February 2024 has 29 days", "/aidigest 2024-02-29"),
        ("papers 2023-02-29", "February 2023 has 28 days", "/aidigest papers 2023-02-28"),
        ("2024-13-01", "no month 13", "/aidigest 2024-10-04"),
        ("2024-10-05", "hasn't happened yet", "/aidigest 2024-10-04"),
        ("llm 2030-01-01", "hasn't happened yet", "/aidigest LLM 2024-10-04"),
        ("1999-12-31", "before 2000", "/aidigest 2024-10-04"),
        ("0000-00-00", "before 2000", "/aidigest 2024-10-04"),
        ("-3651", "-N goes up to -3650", "/aidigest all"),
        ("-99999999999", "not a date I can read", "/aidigest 2024-10-04"),
        ("10/04", "use YYYY-MM-DD", "/aidigest 2024-10-04"),
        ("3", "-3 means 3 days ago", "/aidigest 2024-10-04"),
    ],
)
def test_bad_dates(text: str, says: str, example: str) -> None:
    msg = err(text)
    assert says in msg
    assert example in examples(msg)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("papers news", "'papers' and 'news' conflict"),
        ("all papers", "'all' and 'papers' conflict"),
        ("뉴스 논문 llm", "'뉴스' and '논문' conflict"),
        ("2024-10-04 yesterday", "'2024-10-04' and 'yesterday' are two dates"),
        ("llm cv", "'llm' and 'cv' are two categories"),
        ("papers llm robotics", "'llm' and 'robotics' are two categories"),
        ("papers help", "'help' is a command of its own"),
    ],
)
def test_conflicts(text: str, says: str) -> None:
    assert says in err(text)


def test_conflict_examples() -> None:
    assert examples(err("papers news llm")) == ["/aidigest news LLM", "/aidigest papers LLM"]
    assert examples(err("papers news robotics")) == ["/aidigest papers Robotics"]
    assert examples(err("llm cv -1")) == [
        "/aidigest LLM 2024-10-03",
        "/aidigest Computer Vision 2024-10-03",
    ]


BAD = [
    "ai", "re", "robtics", "robtics 2024-10-04", "news robotics", "others", "papers xyzzy",
    "2024-02-30", "2024-13-01", "2024-10-05", "1999-01-01", "-4000", "10/04", "3",
    "papers news", "papers news robotics", "today yesterday", "llm cv", "<@U1> llm", "papers help",
    "dates papers", "subscriptions now", "unsubscribe llm", "subscribe llm at 25:00",
    "subscribe llm Europe/Londn", "subscribe llm seoul", "subscribe utc+9",
    "subscribe news robotics",
    "subscribe at", "subscribe ai", "subscribe papers llm xyzzy", "subscribe llm today",
    "subscribe share", "subscribe at 8:00 at 9:00", "subscribe ko en", "subscribe UTC KST",
    "subscribe news papers", "subscribe others", "x" * 501,
]  # fmt: skip


@pytest.mark.parametrize("text", BAD)
def test_every_error_example_works(text: str) -> None:
    msg = err(text)
    tries = examples(msg)
    assert tries, msg
    for cmd in tries:
        assert not isinstance(p(cmd), QueryError), (text, cmd, p(cmd))


# --- other commands ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("help", HelpQuery(None)),
        ("HELP", HelpQuery(None)),
        ("?", HelpQuery(None)),
        ("도움말", HelpQuery(None)),
        ("/aidigest help", HelpQuery(None)),
        ("help subscribe", HelpQuery("subscribe")),
        ("help unsubscribe", HelpQuery("subscribe")),
        ("help dates", HelpQuery("dates")),
        ("help papers", HelpQuery("show")),
        ("help categories", HelpQuery("categories")),
        ("help me with subscribe", HelpQuery("subscribe")),
        ("help me", HelpQuery(None)),
        ("dates", DatesQuery()),
        ("subscriptions", SubscriptionsQuery()),
        ("unsubscribe", UnsubscribeQuery(())),
        ("unsubscribe all", UnsubscribeQuery(())),
        ("unsubscribe papers", UnsubscribeQuery(("papers",))),
        ("unsubscribe 뉴스", UnsubscribeQuery(("news",))),
    ],
)
def test_commands(text: str, expected: Query) -> None:
    assert p(text) == expected


@pytest.mark.parametrize(
    "text", ["dates papers", "subscriptions all", "unsubscribe llm", "unsubscribe papers news"]
)
def test_command_extra_words(text: str) -> None:
    assert examples(err(text))


# --- subscribe --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("subscribe", SubscribeQuery((), (), None, None, None)),
        (
            "subscribe papers llm cv at 08:30 Europe/London en",
            SubscribeQuery(
                ("papers",),
                (("papers", "llm"), ("papers", "computer-vision")),
                time(8, 30),
                "Europe/London",
                "en",
            ),
        ),
        ("subscribe news", SubscribeQuery(("news",), (), None, None, None)),
        ("subscribe all", SubscribeQuery((), (), None, None, None)),
        ("subscribe at 8", SubscribeQuery((), (), time(8, 0), None, None)),
        ("subscribe 7:05", SubscribeQuery((), (), time(7, 5), None, None)),
        (
            "subscribe at 23:59 europe/london",
            SubscribeQuery((), (), time(23, 59), "Europe/London", None),
        ),
        ("subscribe KST ko", SubscribeQuery((), (), None, "Asia/Seoul", "ko")),
        ("subscribe utc", SubscribeQuery((), (), None, "UTC", None)),
        ("subscribe asia/seoul 한국어", SubscribeQuery((), (), None, "Asia/Seoul", "ko")),
        (
            "subscribe llm",
            SubscribeQuery((), (("news", "llm"), ("papers", "llm")), None, None, None),
        ),
        (
            "subscribe robotics",
            SubscribeQuery(("papers",), (("papers", "robotics"),), None, None, None),
        ),
        (
            "subscribe robotics ai business",
            SubscribeQuery((), (("papers", "robotics"), ("news", "ai-business")), None, None, None),
        ),
        (
            "subscribe news computer vision ai policy & safety at 9:00",
            SubscribeQuery(
                ("news",),
                (("news", "computer-vision"), ("news", "ai-policy-safety")),
                time(9, 0),
                None,
                None,
            ),
        ),
        (
            "subscribe cv cv",
            SubscribeQuery(
                (), (("news", "computer-vision"), ("papers", "computer-vision")), None, None, None
            ),
        ),
        ("/aidigest subscribe papers", SubscribeQuery(("papers",), (), None, None, None)),
    ],
)
def test_subscribe(text: str, expected: SubscribeQuery) -> None:
    assert p(text) == expected


@pytest.mark.parametrize(
    ("text", "says", "example"),
    [
        (
            "subscribe llm at 25:00",
            "'25:00' isn't a time of day",
            "/aidigest subscribe LLM at 08:30",
        ),
        ("subscribe at 12:60", "'12:60' isn't a time", "/aidigest subscribe at 08:30"),
        ("subscribe at noon", "'noon' isn't a time", "/aidigest subscribe at 08:30"),
        ("subscribe llm at", "'at' needs a time", "/aidigest subscribe LLM at 08:30"),
        (
            "subscribe papers Europe/Londn",
            "I don't know the time zone 'Europe/Londn'. Did you mean Europe/London?",
            "/aidigest subscribe papers Europe/London",
        ),
        ("subscribe Mars/Base", "Use an IANA name", "/aidigest subscribe Asia/Seoul"),
        ("subscribe utc+9", "Did you mean Etc/GMT-9?", "/aidigest subscribe Etc/GMT-9"),
        ("subscribe seoul", "the time zone Asia/Seoul", "/aidigest subscribe Asia/Seoul"),
        ("subscribe ai", "could be", "/aidigest subscribe news AI Business"),
        (
            "subscribe papers robtics",
            "Did you mean Robotics?",
            "/aidigest subscribe papers Robotics",
        ),
        ("subscribe news robotics", "not news", "/aidigest subscribe papers Robotics"),
        ("subscribe others", "Others is not a section", "/aidigest subscribe"),
        ("subscribe papers news", "Two kinds", "/aidigest subscribe"),
        ("subscribe at 8:00 9:00", "Two times", "/aidigest subscribe"),
        ("subscribe UTC Asia/Seoul", "Two zones", "/aidigest subscribe"),
        ("subscribe ko en", "one language", "/aidigest subscribe en"),
        ("subscribe llm share", "'share' doesn't go", "/aidigest subscribe LLM"),
        ("subscribe llm 2024-10-04", "doesn't go", "/aidigest subscribe LLM"),
    ],
)
def test_subscribe_errors(text: str, says: str, example: str) -> None:
    msg = err(text)
    assert says in msg
    assert example in examples(msg)


# --- help text --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ko", "ko-KR", "fr"])
def test_usage_lists_every_command(lang: str) -> None:
    text = usage(lang)
    for word in ("dates", "subscribe", "unsubscribe", "subscriptions", "help", "share"):
        assert f"/aidigest {word}" in text
    assert "/aidigest papers LLM 2024-10-04" in text
    assert ("구독" in text) == lang.startswith("ko")
    for line in text.splitlines():
        if "/aidigest" in line:  # every example in the help parses
            cmd = line.strip().split("  ")[0]
            assert not isinstance(p(cmd), QueryError), cmd


def test_usage_topics() -> None:
    for topic in TOPICS:
        assert usage("en", topic) != usage("en") and usage("ko", topic) != usage("en", topic)
    assert usage("en", "nonsense") == usage("en")
    listed = usage("en", "categories", TX)
    assert "papers: LLM" in listed and "AI Policy & Safety" in listed


def test_help_query_topics_are_usage_topics() -> None:
    for word in ("subscribe", "dates", "papers", "categories"):
        got = p(f"help {word}")
        assert isinstance(got, HelpQuery) and got.topic in TOPICS


# --- properties -------------------------------------------------------------------------------

WORDS = [
    "news", "papers", "paper", "all", "뉴스", "논문", "share", "help", "dates", "subscribe",
    "unsubscribe", "subscriptions", "today", "yesterday", "오늘", "어제", "-3", "-0", "-9999",
    "2024-10-04", "2024-02-30", "2031-01-01", "at", "08:30", "25:00", "Europe/London", "KST",
    "ko", "en", "llm", "LLM", "cv", "computer", "vision", "ai", "policy", "&", "&amp;", "safety",
    "others", "robtics", "rob", "<@U123>", "<!channel>", "/aidigest", "show", "*", "`", "🤖",
    "\x00", "\u200b", "and", "utc+9", "seoul", "?",
]  # fmt: skip
NOISE = st.text(max_size=12)
SENTENCES = st.lists(st.one_of(st.sampled_from(WORDS), NOISE), max_size=12).map(" ".join)


def check(text: str) -> None:
    got = parse(text, TX, TODAY)
    assert isinstance(
        got,
        ShowQuery | HelpQuery | DatesQuery | SubscribeQuery | UnsubscribeQuery | SubscriptionsQuery,
    ) or (isinstance(got, QueryError) and "/aidigest " in got.message)
    if isinstance(got, QueryError):
        assert got.message != INTERNAL_ERROR, text


FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.text())
def test_any_text(text: str) -> None:
    check(text)


@FAST
@given(SENTENCES)
def test_grammar_words_and_noise(text: str) -> None:
    check(text)


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=450, max_size=3000))
def test_long_text(text: str) -> None:
    check(text)


SECTIONS: list[tuple[Kind, Category]] = [(c.kind, c) for k in KINDS for c in TX.sections(k)]


@FAST
@given(
    st.sampled_from(SECTIONS),
    st.booleans(),
    st.integers(0, 3650),
    st.booleans(),
    st.randoms(use_true_random=False),
)
def test_valid_parts_in_any_order(
    section: tuple[Kind, Category], with_kind: bool, ago: int, share: bool, rnd: random.Random
) -> None:
    kind, cat = section
    day = TODAY - timedelta(days=ago)
    parts = [cat.name, day.isoformat()] + ([kind] if with_kind else []) + (["share"] * share)
    rnd.shuffle(parts)
    got = p(" ".join(parts))
    both = all(cat.id in TX.ids(k) for k in ("papers", "news"))
    kinds = (kind,) if with_kind or not both else ()
    assert got == ShowQuery(kinds, cat.id, day, share)


@FAST
@given(st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join))
def test_error_examples_parse(text: str) -> None:
    got = p(text)
    if isinstance(got, QueryError):
        for cmd in examples(got.message):
            assert not isinstance(p(cmd), QueryError), (text, cmd)
