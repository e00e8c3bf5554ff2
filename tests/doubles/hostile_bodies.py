"""What a hostile source server sends: the bodies and behaviours behind the stand-in's hostile
faults (tests/doubles/source_server.py wires them to paths).

  drip[:s]           a valid feed, one byte every s seconds (2 by default): never times out a read
  gzip-bomb[:MB]     Content-Encoding: gzip, ~1 MB on the wire that inflates to MB (1000) of XML
  huge-atom[:n]      an Atom feed of n entries (100,000 by default: ~6.8 MB), newest first
  redirect:URL       302 to URL (e.g. another host on loopback, or a private address)
  redirects:n        302 to the same path n times over (?hop=k), then the route answers
  hostile-titles     an RSS feed whose titles try HTML, Markdown, Slack and Discord injection
  pages              HN hits link to /pages/<objectID> on the stand-in (linked pages to fetch)

Everything here runs on loopback; a redirect to a private address is only ever *offered*: the
client under test must refuse it before connecting.
"""

from __future__ import annotations

import struct
import threading
import zlib
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import cache
from http.server import BaseHTTPRequestHandler
from xml.sax.saxutils import escape, quoteattr

FAULTS = frozenset(
    {"drip", "gzip-bomb", "huge-atom", "redirect", "redirects", "hostile-titles", "pages"}
)

# Each title tries one way to turn feed text into live markup in one of our renderers.
HOSTILE_TITLES = (
    "<img src=x onerror=alert(1)> launches a model",
    "<script>alert('xss')</script> Agents",
    "[Click for free GPUs](http://evil.example/phish) now",
    "![tracker](http://evil.example/pixel.png) benchmark",
    "# Injected heading",
    "**Bold** _claims_ ~~struck~~ `code` ||spoiler|| about LLMs",
    "<!channel> <!here> ping everyone about GPT",
    "@everyone @here new open weights",
    "<@U0123ABC> <@&123456789012345678> <#C0123> mentions",
    "<http://evil.example|Totally legit link> for AI",
    "1. Ordered > quoted | piped text about AI",
    "Line one\n# line two heading about AI",
    "Bidi \u202etxt.exe\u202c and DEL \x7f control",
    "Entities &lt;b&gt;not bold&lt;/b&gt; &amp; friends",
)
# A link with a newline inside: it must be refused at ingestion, never split a list.
NEWLINE_LINK = "https://example.com/a\n- [forged](http://evil.example)"


STAMP = "Mon, 28 Jul 2025 10:00:00 GMT"


def drip_body() -> bytes:
    """A small valid feed: if the drip ever finished, it would parse."""
    return rss([("Slow news", "https://example.com/slow", "dripped")])


def send_drip(handler: BaseHTTPRequestHandler, interval: float, stopping: threading.Event) -> None:
    body = drip_body()
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml; charset=utf-8")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    try:
        for byte in body:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            if stopping.wait(interval):
                break
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client gave up, as it should
    handler.close_connection = True


@cache
def gzip_bomb(megabytes: int = 1000) -> bytes:
    """gzip of an RSS prologue followed by `megabytes` MB of spaces (~1 KB per MB). Built in
    well under a second: one fully flushed deflate block of 1 MB repeats byte for byte."""
    raw = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)  # raw deflate: we frame it
    prologue = b'<?xml version="1.0"?><rss version="2.0"><channel><title>b</title>'
    block = b" " * 1_000_000
    first = raw.compress(prologue) + raw.flush(zlib.Z_FULL_FLUSH)
    repeated = raw.compress(block) + raw.flush(zlib.Z_FULL_FLUSH)  # no reference backwards
    last = raw.compress(b"</channel></rss>") + raw.flush()
    crc = zlib.crc32(prologue)
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(b"</channel></rss>", crc)
    size = len(prologue) + megabytes * len(block) + len(b"</channel></rss>")
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
    return header + first + repeated * megabytes + last + trailer


@cache
def huge_atom(entries: int = 100_000) -> bytes:
    """An Atom feed of `entries` small undated entries (100,000: ~7 MB, under the 8 MB cap)."""
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Huge</title><id>urn:huge</id><updated>2026-03-22T12:00:00Z</updated>\n"
    )
    parts = [head]
    parts += (
        f'<entry><title>Entry {n}</title><link href="https://e.co/{n}"/></entry>\n'
        for n in range(entries)
    )
    parts.append("</feed>\n")
    return "".join(parts).encode()


def rss(items: list[tuple[str, str, str]], when: datetime | None = None) -> bytes:
    stamp = format_datetime(when.astimezone(UTC), usegmt=True) if when is not None else STAMP
    body = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
        f"<description>{escape(d)}</description><pubDate>{stamp}</pubDate></item>"
        for t, link, d in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Stand-in</title>'
        f"<link>https://example.com/</link><description>Stand-in</description>{body}"
        "</channel></rss>\n"
    ).encode()


def hostile_titles_feed(when: datetime | None = None) -> bytes:
    """The hostile titles, dated `when` (the stand-in's news clock) or 28 July 2025."""
    items = [
        (title, f"https://example.com/hostile/{n}", f"<p>{escape(title)}</p>")
        for n, title in enumerate(HOSTILE_TITLES)
    ]
    items.append(("A link with a newline", NEWLINE_LINK, "split"))
    return rss(items, when)


def linked_page(title: str, text: str) -> bytes:
    """An article page as sites serve them: title and descriptions in the head, then the body."""
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<title>{escape(title)} | Example News</title>"
        f"<meta name='description' content={quoteattr(text)}>"
        f"<meta property='og:title' content={quoteattr(title)}>"
        "<style>body { font: 16px serif }</style><script>var tracking = 1;</script>"
        f"</head><body><nav>Home · About</nav><article><h1>{escape(title)}</h1>"
        f"<p>{escape(text)}</p><p>More paragraphs follow.</p></article></body></html>\n"
    ).encode()
