"""Matching, this tree against an earlier commit, timed in one process, the two taking
turns chunk by chunk, so that a machine whose speed drifts from minute to minute (a shared
VM) slows both alike:

    python bench/matching_ab.py [--against HEAD] [--rounds 11] [--chunk 100]

Loads bot/matchnodes.py, matchkeys.py, matching.py and matchindex.py as they are at
--against (those that exist there) beside the working tree's, builds both indexes over
bench/matching.py's subscriptions and papers, checks that both give every paper the same
matches (and says whether they come in the same order: Subscribers.matches credits a
channel's first), and prints the min and median pass (tokenising included) of each and
the median ratio of the two sides' times over the same chunk of papers (--chunk).
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


def one_round(sides: dict[str, tuple[ModuleType, ModuleType]], indexes: dict[str, object],
              papers: list[Paper], chunk: int, round_: int) -> dict[str, tuple[list, list]]:
    """Every paper through each side: side -> (seconds per chunk, matches per paper). The
    sides take turns chunk by chunk, which leads alternating, so that the machine's drift
    (per-pass medians of identical code differed by up to 10%) falls on both alike."""
    out: dict[str, tuple[list, list]] = {name: ([], []) for name in sides}
    for n, at in enumerate(range(0, len(papers), chunk)):
        for name in list(sides)[:: 1 if (n + round_) % 2 else -1]:
            make, index = sides[name][0].MatchDoc.from_paper, indexes[name]
            began = time.perf_counter()
            found = [index.matching(make(paper))  # type: ignore[attr-defined]
                     for paper in papers[at:at + chunk]]
            out[name][0].append(time.perf_counter() - began)
            out[name][1].extend(found)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="HEAD", help="the commit to compare with")
    parser.add_argument("--rounds", type=int, default=11, help="passes of each")
    parser.add_argument("--chunk", type=int, default=100, help="papers timed at a stretch")
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
    times: dict[str, list[list[float]]] = {name: [] for name in sides}
    same_order = True
    for round_ in range(args.rounds):
        done = one_round(sides, indexes, papers, args.chunk, round_)
        old, new = done[args.against][1], done["tree"][1]
        if [sorted(hits) for hits in old] != [sorted(hits) for hits in new]:
            raise SystemExit("the two give different matches")
        same_order = same_order and old == new
        for name, (seconds, _) in done.items():
            times[name].append(seconds)
    log("the same matches, " + ("in the same order" if same_order else "in another order"))
    report(times, args.against)


def report(times: dict[str, list[list[float]]], against: str) -> None:
    for name, passes in times.items():
        sums = [sum(chunks) for chunks in passes]
        log(f"{name:>10}: min {min(sums):.3f} s, median {statistics.median(sums):.3f} s a pass")
    ratios = [new / old for new_pass, old_pass in zip(times["tree"], times[against], strict=True)
              for new, old in zip(new_pass, old_pass, strict=True)]
    print(f"tree / {against}, median of {len(ratios)} chunk ratios: "
          f"{statistics.median(ratios):.3f}")

if __name__ == "__main__":
    main()
