"""Coverage benchmark: does every paper and story reach exactly one digest, on arXiv's schedule?
(And, for comparison, what the calendar guess it replaced lost on the same mornings.)

    python bench/coverage.py [--keep DIR]

Plays 21 mornings (tests/coverage.py): `aidigest build` at 07:05 Asia/Seoul every day from
2023-11-05 to 2023-11-25 against the schedule stand-in, which releases the 554 bundled real
arXiv papers re-timed onto arXiv's announcement schedule (14:00 ET cut-off, 20:00 ET
announcements Sunday to Thursday, Thanksgiving, the night US clocks fall back, a paper held in
moderation, a replaced paper), Hugging Face listings and a feed that shows some posts nine hours
late; one morning is missed, one built twice, one rebuilt at the end. Then every day's
items.jsonl and papers note (ko and en) is checked against the stand-in's own account.

No Redis (the CLI keeps its watermarks in a state file), no LLM (offline summaries), no
network beyond loopback. Last line:
bench coverage: days=21 released=N published=N missed=0 repeated=0 notes_ok=K/K
    released   items the sources released over the period (arXiv papers of the configured
               categories, HF listings not already shown, feed posts)
    published  of those, the ones found in some day's items.jsonl
    missed     released but in no day; repeated: extra appearances of an item in a later day
    notes_ok   days x languages whose papers note says what the stand-in's calendar says
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from cli.main import main as aidigest  # noqa: E402
from core.sources import arxiv, make_client  # noqa: E402
from core.sources.fetch import Fetch  # noqa: E402
from core.sources.spec import SourceSpec  # noqa: E402
from tests import coverage  # noqa: E402
from tests.doubles.schedule_server import ScheduleServer  # noqa: E402


def old_rule(world: ScheduleServer) -> str:
    """What the calendar guess this replaced ("papers submitted two days before", one UTC day
    a digest) got of the same papers, on the same mornings."""
    spec = SourceSpec(
        name="arxiv",
        type="arxiv",
        kind="papers",
        url=world.url + "/arxiv/api/query",
        categories=coverage.CATEGORIES,
        page_size=200,
        max_items=1000,
        allow_private=True,  # the stand-in listens on 127.0.0.1
    )
    got: set[str | None] = set()
    with make_client() as client:
        for d in coverage.MORNINGS:
            world.set_now(coverage.morning(d) + coverage.LATE)
            day = d - timedelta(days=2)
            papers = arxiv.collect(Fetch(client, spec, day, sleep=lambda s: None))
            got |= {p.arxiv_id for p in papers}
    last = coverage.morning(coverage.MORNINGS[-1]) + coverage.LATE
    due = coverage.due_ids(world, last)
    arxiv_due = {p.id for p in world.papers if p.id in due}
    lost = len(arxiv_due - got)
    return (
        f"{lost} of {len(arxiv_due)} arXiv papers never in a digest ({lost / len(arxiv_due):.0%})"
    )


def run(out: Path) -> coverage.Outcome:
    started = time.monotonic()
    with ScheduleServer(coverage.FIRST, coverage.WORLD_DAYS) as world:
        before = old_rule(world)
        played = coverage.play(aidigest, world, out)
        got = coverage.check(world, played)
    wall = time.monotonic() - started
    for d in played.built:
        rows = (out / d.isoformat() / "items.jsonl").read_text("utf-8").splitlines()
        print(f"  {d} {d:%a}: {len(rows):4d} items", flush=True)
    print(f"  built {len(played.built)} days of {got.days} (missed {coverage.MISSED}),")
    print(f"  {coverage.TWICE} twice: same items={played.twice_same},", end=" ")
    print(f"{coverage.REBUILT} rebuilt: same items={played.rebuilt_same}")
    seconds = sorted(played.seconds)
    print(f"  build time per day: median {seconds[len(seconds) // 2]:.1f}s, wall {wall:.0f}s")
    print(f"  unexpected items (published, never released): {got.unexpected}")
    print(f"  the old rule (submitted two days before) on the same mornings: {before}")
    for problem in got.problems[:30]:
        print(f"  PROBLEM {problem}")
    return got


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", help="write the days here (default: a temporary directory)")
    args = ap.parse_args()
    if args.keep:
        out = Path(args.keep)
        shutil.rmtree(out, ignore_errors=True)
        got = run(out)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            got = run(Path(tmp) / "reports")
    print(got.line())


if __name__ == "__main__":
    main()
