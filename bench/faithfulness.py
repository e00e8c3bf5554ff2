"""Benchmark: are published summaries faithful, whatever the model and the server?

Builds the bundled days (2024-10-01 … 2024-10-04, Korean and English) through the LLM stand-in
(tests/doubles/llm_server.py, in this process, no cache): with a well-behaved model; with each
sloppy model (wrong numbers, invented URLs, markdown, mixed language, missing parts, prose around
the JSON — each spoiling half of the answers, so some retries recover); and with the good model
behind each server dialect (openai, ollama, vllm, llamacpp). A careful reader (tests/core/llm/
reader.py) then reads every published section: citations outside its sources, URLs that are
not its sources', markup, and whether it talks about its own sources more than another's.

One line per run, then the totals over every run as the LAST line:
  bench faithfulness: sections=N llm_ok=A fallback=B bad_citations=0 foreign_urls=0 markup=0
  dialects_ok=D/4
Goals: 0 bad citations, 0 foreign URLs, 0 markup under every mode; fallback=0 for the good
model; every dialect's build all LLM (dialects_ok=4/4).

Run: python bench/faithfulness.py [--days 4] [--rate 0.5]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from pydantic import SecretStr

from core import demo
from core.llm.cache import NoCache
from core.llm.dialect import forget_learned
from core.llm.factory import llm_engine
from core.pipeline import BuiltDay, SourceResult, build_day
from core.settings import OpenAISettings, Settings
from core.taxonomy import load_taxonomy
from tests.core.llm.reader import bad_citations, foreign_urls, markup, own_words_lead
from tests.doubles.llm_server import LLMServer

SLOPPY = ("wrong_numbers", "invented_urls", "markdown", "mixed_language", "missing_parts")
SLOPPY += ("prose_json",)
DIALECTS = ("openai", "ollama", "vllm", "llamacpp")
LANGS = ["ko", "en"]


@dataclass
class Tally:
    sections: int = 0
    llm_ok: int = 0
    fallback: int = 0
    bad_citations: int = 0
    foreign_urls: int = 0
    markup: int = 0
    off_topic: int = 0

    def add(self, other: Tally) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def line(self) -> str:
        return (
            f"sections={self.sections} llm_ok={self.llm_ok} fallback={self.fallback} "
            f"bad_citations={self.bad_citations} foreign_urls={self.foreign_urls} "
            f"markup={self.markup}"
        )


def bundled_days(count: int) -> list[tuple[object, list[SourceResult]]]:
    days = [demo.DEMO_DATE - timedelta(days=back) for back in range(count - 1, -1, -1)]
    # the saved news feeds are single snapshots: only the demo day carries them
    return [
        (d, [r for r in demo.demo_results(d) if d == demo.DEMO_DATE or r.status.kind == "papers"])
        for d in days
    ]


def read(built: BuiltDay) -> Tally:
    tally = Tally()
    items = {i.id: i for i in built.items}
    for digest in built.digests.values():
        for s in digest.sections:
            tally.sections += 1
            tally.llm_ok += s.mode == "llm"
            tally.fallback += s.mode != "llm"
            tally.bad_citations += bool(bad_citations(s))
            tally.foreign_urls += len(foreign_urls(s))
            tally.markup += bool(markup(s))
        tally.off_topic += len(own_words_lead(digest.sections, items))
    return tally


def run(server: LLMServer, settings: Settings, days: list, label: str) -> tuple[Tally, set[str]]:
    """Every bundled day built once; the tally, and the response_format types summaries used."""
    forget_learned()  # as a fresh process would start
    server.requests.clear()
    tax = load_taxonomy()
    tally = Tally()
    t0 = time.monotonic()
    for day, results in days:
        engine = llm_engine(settings, cache=NoCache())
        built = build_day(
            day, results, tax, langs=LANGS, section_cap=8, now=demo.demo_now(day), engine=engine
        )
        tally.add(read(built))
    formats = {
        (b.get("response_format") or {}).get("type", "none")
        for b in server.requests
        if "<sources>" in str(b.get("messages"))
    }
    print(
        f"bench faithfulness {label}: {tally.line()} off_topic={tally.off_topic} "
        f"formats={','.join(sorted(formats))} ({time.monotonic() - t0:.1f} s)",
        flush=True,
    )
    return tally, formats


def main() -> int:
    parser = argparse.ArgumentParser(description="Faithfulness of summaries under sloppy models.")
    parser.add_argument("--days", type=int, default=4, help="bundled days, up to 4")
    parser.add_argument("--rate", type=float, default=0.5, help="share of answers spoiled")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    days = bundled_days(max(1, min(4, args.days)))
    total, dialects_ok = Tally(), 0
    with LLMServer() as server, tempfile.TemporaryDirectory() as tmp:
        settings = Settings()
        settings.openai = OpenAISettings(
            base_url=server.base_url,
            api_key=SecretStr("bench"),
            model="stand-in",
            timeout=30.0,
            max_retries=1,
            concurrency=32,
            cache_dir=Path(tmp),
        )
        good, _ = run(server, settings, days, "good")
        total.add(good)
        for fault in SLOPPY:
            server.reset()
            server.add_fault(fault, schema="section_summary", rate=args.rate)
            tally, _ = run(server, settings, days, fault)
            total.add(tally)
        for name in DIALECTS:
            server.reset()
            server.set_dialect(name)
            tally, _ = run(server, settings, days, f"dialect-{name}")
            total.add(tally)
            dialects_ok += tally.fallback == 0 and tally.sections > 0
    print(
        f"bench faithfulness: {total.line()} dialects_ok={dialects_ok}/{len(DIALECTS)}",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
