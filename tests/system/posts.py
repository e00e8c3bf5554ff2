"""What the Slack and Discord stand-ins received, as daily posts: per channel and day, the
header messages and the section messages under them, with the real time each was recorded.

A Slack daily post is a header (the charts' file share, or a message) and one threaded reply
per section page; a Discord one is a header message and messages of section embeds in a thread
started on it (the system test's channels all allow threads). A header is recognised by the
date in its title ("… — 2024-10-03"), so headers can be counted per channel per day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from core.digest import Section
from core.headings import label
from tests.doubles.slack_rules import message_texts

Json = dict[str, Any]


@dataclass
class Post:
    platform: str
    channel: str
    day: str
    header: Json  # the stand-in's record of the header message
    at: float  # real epoch seconds when the stand-in stored the header
    header_text: str = ""
    sections: list[tuple[str, str]] = field(default_factory=list)  # (title, text), in order
    messages: int = 0  # section messages (a long section may take more than one)
    uids: list[str] = field(default_factory=list)  # Slack: each reply's idempotency uid

    @property
    def titles(self) -> list[str]:
        return [t for t, _ in self.sections]

    @property
    def text(self) -> str:
        return "\n".join([self.header_text, *(t for _, t in self.sections)])

    @property
    def header_shown(self) -> str:
        """The header as a reader sees it: Discord hides the backslashes that escape markdown
        (escape.discord writes `hf\\-daily\\-papers`; Discord shows hf-daily-papers)."""
        if self.platform != "discord":
            return self.header_text
        return re.sub(r"\\(.)", r"\1", self.header_text)


def _slack_text(msg: Json) -> str:
    return "\n".join(t for t in message_texts(msg) if t)


def slack_posts(messages: dict[str, list[Json]], channel: str, day: str) -> list[Post]:
    """The daily posts of `day` in a Slack channel (GET /_messages of the stand-in)."""
    msgs = messages.get(channel, [])
    out = []
    for m in msgs:
        if m.get("thread_ts") or f"— {day}" not in _slack_text(m):
            continue
        post = Post("slack", channel, day, m, float(m["ts"].split(".")[0]), _slack_text(m))
        replies = [r for r in msgs if r.get("thread_ts") == m["ts"] and r is not m]
        for r in replies:
            blocks = r.get("blocks") or []
            heads = [b["text"]["text"] for b in blocks if b.get("type") == "header"]
            if heads or not post.sections:  # a section's next page continues it
                post.sections.append((heads[0] if heads else "", ""))
            title, text = post.sections[-1]
            post.sections[-1] = (title, text + "\n" + _slack_text(r))
            payload = (r.get("metadata") or {}).get("event_payload") or {}
            post.uids.append(str(payload.get("uid")))
        post.messages = len(replies)
        out.append(post)
    return out


def _embed_text(e: Json) -> str:
    parts = [e.get("title") or "", e.get("description") or ""]
    parts += [f"{f.get('name', '')}\n{f.get('value', '')}" for f in e.get("fields") or []]
    parts.append((e.get("footer") or {}).get("text") or "")
    return "\n".join(p for p in parts if p)


def discord_posts(messages: list[Json], channel: str, day: str) -> list[Post]:
    """The daily posts of `day` in a Discord channel (GET /_control/messages?channel_id=)."""
    out = []
    for m in messages:
        body = m["message"]
        if m["thread"] or str(body["channel_id"]) != channel:
            continue
        content = body.get("content") or ""
        if f"— {day}" not in content:
            continue
        head = "\n".join([content, *(_embed_text(e) for e in body.get("embeds") or [])])
        post = Post("discord", channel, day, m, float(m["t"]), head)
        thread = str(body["id"])  # a thread started on a message has the message's id
        parts = [x for x in messages if str(x["message"]["channel_id"]) == thread]
        for x in parts:
            for e in x["message"].get("embeds") or []:
                if e.get("title") or not post.sections:  # an untitled embed continues one
                    post.sections.append((e.get("title") or "", ""))
                title, text = post.sections[-1]
                post.sections[-1] = (title, text + "\n" + _embed_text(e))
        post.messages = len(parts)
        out.append(post)
    return out


def text_of(reply: Json | list[Json]) -> str:
    """Every text a reply shows (Slack messages or Discord message data)."""
    if isinstance(reply, list):
        return "\n".join(text_of(m) for m in reply)
    out = [str(reply.get("text") or ""), str(reply.get("content") or "")]
    for b in reply.get("blocks") or []:
        t = b.get("text")
        out.append(t.get("text", "") if isinstance(t, dict) else "")
        for e in b.get("elements") or []:  # context texts, and buttons' {"text": {…}}
            t = e.get("text", "") if isinstance(e, dict) else ""
            out.append(t.get("text", "") if isinstance(t, dict) else str(t))
    for e in reply.get("embeds") or []:
        out += [e.get("title") or "", e.get("description") or ""]
    return "\n".join(x for x in out if x)


def section_title(s: Section) -> str:
    """The title a section's first message carries (both bots write it so)."""
    return f"{s.name} · {label(s.lang, s.kind)} · {s.date}"


def check_citations(platform: str, s: Section, text: str) -> None:
    """The section's summary cites its own sources, and lists them."""
    cited = {int(n) for p in s.parts for n in re.findall(r"\[(\d+)\]", p.text)}
    numbers = {ref.n for ref in s.sources}
    assert cited, f"{s.name}: no citation in the summary"
    assert cited <= numbers, f"{s.name}: cites {cited - numbers}, not among its sources"
    for n in cited:
        mark = f"|[{n}]>" if platform == "slack" else f"[{n}]"
        assert mark in text, f"{s.name}: citation [{n}] not shown"
    for ref in s.sources:
        assert f"\n{ref.n}. " in text, f"{s.name}: source {ref.n} not listed"
