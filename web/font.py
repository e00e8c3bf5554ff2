"""The Hangul web font: NanumGothic (SIL Open Font License, shipped by koreanize-matplotlib,
which the charts already use), cut down to Hangul and packed as WOFF for browsers.

The shipped file cannot be served as it is: its empty VTT source tables (TSI*) make Chromium's
font sanitiser reject the whole font, and its hinting makes it 4.7 MB. Without them, and with
only the blocks the stylesheet's unicode-range asks for (Hangul, Korean punctuation), it is
about 0.4 MB. Making it takes a second or two, once per process, off the event loop.
"""

from __future__ import annotations

import asyncio
import io

from core.fonts import covers_hangul, packaged_font_files

FAMILY_FILE = "NanumGothic.ttf"
HANGUL = [
    *range(0x1100, 0x1200),  # Hangul Jamo
    *range(0x3000, 0x3040),  # CJK punctuation: 「」『』〈〉 and the like, common in Korean text
    *range(0x3130, 0x3190),  # Hangul Compatibility Jamo
    *range(0x3200, 0x3300),  # Enclosed CJK letters: ㈜, ㉠
    *range(0xFF00, 0xFFF0),  # Full-width forms
    *range(0xA960, 0xA980),  # Hangul Jamo Extended-A
    *range(0xAC00, 0xD7A4),  # Hangul Syllables
    *range(0xD7B0, 0xD800),  # Hangul Jamo Extended-B
]

_made: bytes | None = None
_lock = asyncio.Lock()


def make_woff() -> bytes | None:
    """The web font's bytes, or None when no Hangul font is installed."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    path = next(
        (p for p in packaged_font_files() if p.name == FAMILY_FILE and covers_hangul(p)), None
    )
    if path is None:
        return None
    font = TTFont(str(path))
    for tag in [t for t in font.keys() if t.startswith("TSI")]:  # noqa: SIM118 (TTFont)
        del font[tag]
    options = subset.Options()
    options.flavor = "woff"
    options.hinting = False
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=HANGUL)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


async def woff() -> bytes | None:
    global _made
    if _made is None:
        async with _lock:
            if _made is None:
                _made = await asyncio.to_thread(make_woff) or b""
    return _made or None


__all__ = ["make_woff", "woff"]
