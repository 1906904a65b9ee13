"""Matching, this tree against an earlier commit, timed in one process with the passes
interleaved, so that a machine whose speed drifts from minute to minute (a shared VM)
slows both alike:

    python bench/matching_ab.py [--against HEAD] [--rounds 11]

Loads bot/matchnodes.py, matchkeys.py, matching.py and matchindex.py as they are at
--against (those that exist there) beside the working tree's, builds both indexes over
bench/matching.py's subscriptions and papers, checks that both give every paper the same
matches (and says whether they come in the same order: Subscribers.matches credits a
channel's first), and prints the min and median pass (tokenising included) of each.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import log  # noqa: E402
from bench.matching import MAX_SHARE, SEEDS, Seeds, make_papers, make_queries  # noqa: E402
from bot import matchindex, matching  # noqa: E402
from bot.models import Paper  # noqa: E402
from bot.topics import parse_query  # noqa: E402

MODULES = ["bot.matchnodes", "bot.matchkeys", "bot.matching", "bot.matchindex"]


def load_at(revision: str, folder: Path) -> tuple[ModuleType, ModuleType]:
    """(bot.matching, bot.matchindex) as at `revision`; sys.modules is left as it was."""
    kept = {name: sys.modules[name] for name in MODULES if name in sys.modules}
    loaded: dict[str, ModuleType] = {}
    try:
        for name in MODULES:
            path = name.replace(".", "/") + ".py"
            shown = subprocess.run(["git", "show", f"{revision}:{path}"], cwd=ROOT,
                                   capture_output=True, text=True, check=False)
            if shown.returncode:
                continue  # not there yet at that commit
            file = folder / path.replace("/", "_")
            file.write_text(shown.stdout)
            spec = importlib.util.spec_from_file_location(name, file)
            assert spec and spec.loader
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = loaded[name] = module  # later modules import this one
            spec.loader.exec_module(module)
    finally:
        sys.modules.update(kept)
    return loaded["bot.matching"], loaded["bot.matchindex"]


def one_pass(modules: tuple[ModuleType, ModuleType], index: object,
             papers: list[Paper]) -> tuple[float, list[list]]:
    make = modules[0].MatchDoc.from_paper
    began = time.perf_counter()
    found = [index.matching(make(paper)) for paper in papers]  # type: ignore[attr-defined]
    return time.perf_counter() - began, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="HEAD", help="the commit to compare with")
    parser.add_argument("--rounds", type=int, default=11, help="passes of each")
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    seeds = Seeds(SEEDS, MAX_SHARE)
    queries, papers = make_queries(seeds, 10_000, rng), make_papers(seeds, 5_000, rng)
    with tempfile.TemporaryDirectory() as folder:
        sides = {args.against: load_at(args.against, Path(folder)),
                 "tree": (matching, matchindex)}
    indexes = {name: mods[1].SubscriptionIndex(
        [(n, mods[0].compile_topic(parse_query(q))) for n, q in enumerate(queries)])
        for name, mods in sides.items()}
    times: dict[str, list[float]] = {name: [] for name in sides}
    same_order = True
    for round_ in range(args.rounds):
        answers = []
        for name in list(sides)[:: 1 if round_ % 2 else -1]:
            seconds, found = one_pass(sides[name], indexes[name], papers)
            times[name].append(seconds)
            answers.append(found)
        if [sorted(hits) for hits in answers[0]] != [sorted(hits) for hits in answers[1]]:
            raise SystemExit("the two give different matches")
        same_order = same_order and answers[0] == answers[1]
    log("the same matches, " + ("in the same order" if same_order else "in another order"))
    for name, passes in times.items():
        log(f"{name:>10}: min {min(passes):.3f} s, median {statistics.median(passes):.3f} s")
    ratio = statistics.median(times["tree"]) / statistics.median(times[args.against])
    print(f"tree / {args.against}, medians: {ratio:.2f}")


if __name__ == "__main__":
    main()
