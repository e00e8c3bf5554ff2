"""Make matplotlib able to draw Hangul, once per process.

`koreanize-matplotlib` ships NanumGothic. We only locate its .ttf files: importing that package
rewrites global rcParams (and needs distutils), so it is never imported.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

log = logging.getLogger(__name__)

LATIN_FALLBACK = "DejaVu Sans"  # bundled with matplotlib, so always present
_PACKAGE = "koreanize_matplotlib"
# All 11,172 precomposed syllables: NanumGothicLight, for one, has only the 2,350 common ones,
# and a partial face would drop glyphs in rarer names.
_HANGUL_SYLLABLES = range(0xAC00, 0xD7A4)
# Name fragments of fonts likely to cover Hangul; only these are opened to check coverage.
_HANGUL_HINTS = (
    "nanum",
    "noto sans cjk",
    "noto sans kr",
    "noto serif cjk",
    "noto serif kr",
    "source han",
    "malgun",
    "apple sd gothic",
    "applegothic",
    "gulim",
    "dotum",
    "batang",
    "undotum",
    "unbatang",
    "baekmuk",
    "spoqa",
    "pretendard",
)

_lock = threading.Lock()
_families: list[str] | None = None


def ensure_fonts() -> list[str]:
    """Register a Hangul-capable font and set it first in rcParams' font fallback list.

    Returns the family list set, e.g. ["NanumGothic", "DejaVu Sans"]; ["DejaVu Sans"] alone
    means no Hangul font was found (a warning is logged) and callers should keep text ASCII.
    Only the first call does work; later calls return the same list.
    """
    global _families
    if _families is not None:
        return list(_families)
    with _lock:
        if _families is None:
            _families = _discover()
            _apply(_families)
    return list(_families)


def has_hangul(families: list[str]) -> bool:
    """Whether a list returned by `ensure_fonts` includes a Hangul-capable family."""
    return any(f != LATIN_FALLBACK for f in families)


def packaged_font_files() -> list[Path]:
    """The NanumGothic .ttf files inside koreanize-matplotlib, found without importing it."""
    try:
        spec = importlib.util.find_spec(_PACKAGE)
    except (ImportError, ValueError):
        return []
    if spec is None:
        return []
    roots = [Path(p) for p in spec.submodule_search_locations or ()]
    if not roots and spec.origin:
        roots = [Path(spec.origin).parent]
    return sorted(p for root in roots for p in root.glob("fonts/*.ttf") if p.is_file())


def covers_hangul(path: str | Path) -> bool:
    """Whether the font file maps every Hangul syllable (unreadable files: False)."""
    try:
        charmap = FT2Font(str(path)).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    return all(cp in charmap for cp in _HANGUL_SYLLABLES)


def system_hangul_family() -> str | None:
    """The family name of an already-known font that covers Hangul, if any."""
    seen: set[str] = set()
    for entry in font_manager.fontManager.ttflist:
        name = entry.name
        if name in seen or not any(h in name.lower() for h in _HANGUL_HINTS):
            continue
        seen.add(name)
        if covers_hangul(entry.fname):
            return name
    return None


def _discover() -> list[str]:
    hangul: str | None = None
    for path in packaged_font_files():
        # Skip partial faces: registered, one could be picked for some weight and miss glyphs.
        if not covers_hangul(path):
            continue
        try:
            font_manager.fontManager.addfont(str(path))
        except (OSError, RuntimeError, ValueError) as exc:
            log.warning("could not register font %s: %s", path, exc)
            continue
        # The family name comes from the file, so a renamed or swapped font still works.
        hangul = hangul or FT2Font(str(path)).family_name
    if hangul is None:
        hangul = system_hangul_family()
    if hangul is None:
        log.warning("no font with Hangul coverage found; chart text should stay ASCII")
        return [LATIN_FALLBACK]
    # Hangul font first so a label reads in one typeface; DejaVu Sans fills the glyphs it
    # lacks (e.g. U+2212 minus, micro sign) via matplotlib's per-glyph fallback.
    return [hangul, LATIN_FALLBACK]


def _apply(families: list[str]) -> None:
    mpl.rcParams["font.family"] = list(families)
    rest = [f for f in mpl.rcParams["font.sans-serif"] if f not in families]
    mpl.rcParams["font.sans-serif"] = [*families, *rest]
