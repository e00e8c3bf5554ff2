"""Help text for the `/aidigest` grammar (core/query.py), in English and Korean.

Plain text without markdown so the CLI, Slack and Discord can all show it as is.
"""

from __future__ import annotations

from core.items import KINDS
from core.taxonomy import Taxonomy

TOPICS: tuple[str, ...] = ("show", "dates", "categories", "subscribe")
_KIND_WORDS = {*KINDS, "paper", "all"}

_EN: dict[str | None, str] = {
    None: """\
aidigest - the daily AI news and papers digest
Show a day (words in any order):
  /aidigest                           overview of the newest ready day
  /aidigest papers LLM 2024-10-04     one section of one day
  /aidigest news yesterday            every news section of a day
  /aidigest computer vision -3        a category 3 days ago (the kind is inferred)
  /aidigest share papers LLM          post the answer in the channel for everyone
Other commands:
  /aidigest dates                     the days that are ready
  /aidigest subscribe papers LLM cv at 08:30 Asia/Seoul en    a daily post in this channel
  /aidigest unsubscribe papers        stop a kind (no kind: stop everything)
  /aidigest subscriptions             what this channel gets
  /aidigest search diffusion models papers   search every day (Korean or English words)
  /aidigest help subscribe            more on: show, dates, categories, subscribe""",
    "show": """\
Show: /aidigest [news|papers|all] [CATEGORY] [DATE] [share], words in any order.
  /aidigest                           overview of the newest ready day
  /aidigest papers LLM 2024-10-04     one section of one day
  /aidigest cv yesterday              a category of both kinds
  /aidigest 2024-10-04 nlp papers     the same words in another order
  /aidigest share news                post the answer in the channel for everyone
Kinds: news, papers (paper, 뉴스, 논문), all. A category only one kind has picks that kind.""",
    "dates": """\
Dates: YYYY-MM-DD, today, yesterday (오늘, 어제) or -N for N days ago (0 to 3650).
No date means the newest ready day. Dates before 2000 or after today don't exist here.
  /aidigest papers 2024-10-04
  /aidigest news -3
  /aidigest dates                     the days that are ready""",
    "categories": """\
Categories: type an id, a name, an alias or a unique prefix, in any case. Names may have spaces.
  /aidigest papers computer vision
  /aidigest news ai policy & safety
  /aidigest llm                       a category both kinds have shows both
"Others" is counted in the overview chart but is not a section.""",
    "subscribe": """\
Subscribe this channel to a daily post:
  /aidigest subscribe [news|papers|all] [CATEGORY...] [at HH:MM] [TIME ZONE] [ko|en]
  /aidigest subscribe papers LLM cv at 08:30 Europe/London en
  /aidigest subscribe news at 9:00 Asia/Seoul ko
  /aidigest subscribe                 everything, with this channel's defaults
Time is 24-hour; the time zone is an IANA name (Asia/Seoul, UTC; KST works too).
  /aidigest unsubscribe papers        stop papers (no kind: stop everything)
  /aidigest subscriptions             what this channel gets""",
}

_KO: dict[str | None, str] = {
    None: """\
aidigest - 매일 AI 뉴스·논문 다이제스트
하루치 보기 (단어 순서는 자유):
  /aidigest                           가장 최근에 준비된 날의 개요
  /aidigest papers LLM 2024-10-04     하루의 한 섹션
  /aidigest 뉴스 어제                  어제의 모든 뉴스 섹션
  /aidigest computer vision -3        3일 전의 한 카테고리 (종류는 자동으로 정해짐)
  /aidigest share papers LLM          채널의 모두에게 답을 게시
그 밖의 명령:
  /aidigest dates                     준비된 날짜 목록
  /aidigest subscribe papers LLM cv at 08:30 Asia/Seoul ko    이 채널에 매일 게시
  /aidigest unsubscribe papers        한 종류 구독 해지 (종류 생략: 전부 해지)
  /aidigest subscriptions             이 채널의 구독 목록
  /aidigest search 에이전트 llm        모든 날짜에서 검색 (한국어·영어 단어)
  /aidigest help subscribe            주제별 도움말: show, dates, categories, subscribe""",
    "show": """\
보기: /aidigest [news|papers|all] [카테고리] [날짜] [share], 단어 순서는 자유.
  /aidigest                           가장 최근에 준비된 날의 개요
  /aidigest papers LLM 2024-10-04     하루의 한 섹션
  /aidigest cv 어제                    두 종류 모두의 한 카테고리
  /aidigest 2024-10-04 nlp 논문        순서를 바꿔도 같은 뜻
  /aidigest share news                채널의 모두에게 답을 게시
종류: news(뉴스), papers(논문), all. 한 종류에만 있는 카테고리는 그 종류로 정해집니다.""",
    "dates": """\
날짜: YYYY-MM-DD, today(오늘), yesterday(어제), 또는 N일 전을 뜻하는 -N (0~3650).
날짜를 생략하면 가장 최근에 준비된 날입니다. 2000년 이전이나 오늘 이후는 없습니다.
  /aidigest papers 2024-10-04
  /aidigest news -3
  /aidigest dates                     준비된 날짜 목록""",
    "categories": """\
카테고리: id, 이름, 별칭 또는 고유한 앞부분을 대소문자 상관없이 입력하세요.
이름에 공백이 있어도 됩니다.
  /aidigest papers computer vision
  /aidigest news ai policy & safety
  /aidigest llm                       두 종류에 모두 있는 카테고리는 둘 다 보여 줍니다
"Others"는 개요 차트에만 집계되고 섹션이 아닙니다.""",
    "subscribe": """\
이 채널에 매일 게시 구독:
  /aidigest subscribe [news|papers|all] [카테고리...] [at HH:MM] [시간대] [ko|en]
  /aidigest subscribe papers LLM cv at 08:30 Asia/Seoul ko
  /aidigest subscribe news at 9:00 Europe/London en
  /aidigest subscribe                 전부, 이 채널의 기본 설정으로
시간은 24시간제, 시간대는 IANA 이름입니다 (Asia/Seoul, UTC; KST도 됩니다).
  /aidigest unsubscribe papers        논문 구독 해지 (종류 생략: 전부 해지)
  /aidigest subscriptions             이 채널의 구독 목록""",
}


def usage(lang: str = "en", topic: str | None = None, taxonomy: Taxonomy | None = None) -> str:
    """Help text in Korean when `lang` starts with "ko" (ko, ko-KR), else English.

    `topic` is one of TOPICS (as HelpQuery.topic gives it); anything else gives the overview.
    With a taxonomy, the categories topic also lists the configured categories.
    """
    korean = lang.lower().startswith("ko")
    texts = _KO if korean else _EN
    text = texts.get(topic, texts[None])
    if topic == "categories" and taxonomy is not None:
        text += "\n" + category_list(taxonomy)
    return text


def category_list(taxonomy: Taxonomy) -> str:
    """One line per kind: "papers: LLM (llms), Computer Vision (cv, vision), ..."."""
    lines: list[str] = []
    for kind in KINDS:
        parts: list[str] = []
        for c in taxonomy.sections(kind):
            # A couple of short aliases show the idea; a kind word ("papers") never reads as one.
            short = [a for a in c.aliases if len(a) <= 10 and a.lower() not in _KIND_WORDS][:2]
            parts.append(f"{c.name} ({', '.join(short)})" if short else c.name)
        if parts:
            lines.append(f"{kind}: {', '.join(parts)}")
    return "\n".join(lines)
