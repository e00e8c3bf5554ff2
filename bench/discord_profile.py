"""Where the bot's and the stand-in's time went in a `bench/discord.py --profile DIR` run: each
process's CPU time by layer (our code, discord.py, aiohttp, redis-py, JSON, the event loop),
per interaction answered. cProfile slows everything down, so the shares matter, not the sums.

    python bench/discord_profile.py DIR [INTERACTIONS]
"""

from __future__ import annotations

import pstats
import sys
from collections import defaultdict
from pathlib import Path

ROOT = str(Path(__file__).resolve().parent.parent) + "/"
OURS = (("ours: bot/", "bot/"), ("ours: core/", "core/"), ("stand-in", "tests/doubles/"))
LIBRARIES = (  # first match wins: (layer, a piece of the function's file path)
    ("discord.py", "site-packages/discord/"),
    ("aiohttp (+yarl, multidict)", "site-packages/aiohttp/"),
    ("aiohttp (+yarl, multidict)", "site-packages/yarl/"),
    ("aiohttp (+yarl, multidict)", "site-packages/multidict/"),
    ("redis-py", "site-packages/redis/"),
    ("pydantic", "site-packages/pydantic"),
    ("json", "/json/"),
    ("re (escaping, parsing)", "/re/"),
    ("event loop and sockets", "/asyncio/"),
    ("event loop and sockets", "selectors"),
)


def layer(path: str, name: str) -> str:
    if name.startswith("<method 'poll'") or name.startswith("<method 'select'"):
        return "idle (waiting for the network)"
    if path.startswith(ROOT) and "site-packages" not in path:
        inside = path.removeprefix(ROOT)
        return next((label for label, piece in OURS if inside.startswith(piece)), "other")
    for label, piece in LIBRARIES:
        if piece in path:
            return label
    if path == "~" and "orjson" in name:  # discord.py's and the stand-in's JSON
        return "json"
    if path == "~":  # built-ins: sockets, JSON's C part, regexes
        return "built-ins (sockets, C parts of json/re)"
    return "other"


def split(prof: Path) -> dict[str, float]:
    """Seconds of own time (tottime) per layer."""
    stats = pstats.Stats(str(prof))
    out: dict[str, float] = defaultdict(float)
    for (path, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        out[layer(path, name)] += row[2]
    return dict(out)


def report(directory: str, interactions: int) -> str:
    lines = []
    for name in ("bot", "stand-in"):
        prof = Path(directory) / f"{name}.prof"
        if not prof.exists():
            continue
        parts = split(prof)
        busy = sum(v for k, v in parts.items() if not k.startswith("idle"))
        lines.append(f"{name}: {busy:.1f}s busy = {busy / interactions * 1000:.2f} ms per "
                     f"interaction (under cProfile)")  # fmt: skip
        for k, v in sorted(parts.items(), key=lambda kv: -kv[1]):
            if not k.startswith("idle"):
                lines.append(f"  {k:<40} {v:7.2f}s  {v / busy:5.1%}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1))
