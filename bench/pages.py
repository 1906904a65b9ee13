"""How long reading a talk page takes: every seminar page and announcement of the real-world
corpus (../shared/corpus/realworld) and the seed page, parsed as lectern parses them.

Each document is parsed `--repeat` times after one warm-up; its figure is the median of those.
Prints one line per document (stderr) and, last, a JSON line: the median over documents of
their medians, the slowest document's median, and the slowest single parse.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, log  # noqa: E402
from jobs.sources import parse_document  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "realworld"
SEED_PAGE = ROOT.parent / "shared" / "seeds" / "joint-ml-seminar-page.txt"


def documents(corpus: Path) -> list[tuple[str, Path, str, str]]:
    """(kind, path, timezone, now) of every talk page in cases.json, and the seed page."""
    cases = json.loads((corpus / "cases.json").read_text(encoding="utf-8"))["cases"]
    found = [(c["kind"], corpus / c["file"], c["tz"] or "UTC", c["now"]) for c in cases
             if c["kind"] in ("seminar-page", "announcement")]
    if SEED_PAGE.exists():
        found.append(("seminar-page", SEED_PAGE, "Asia/Shanghai", "2023-09-01T00:00:00Z"))
    return found


def time_document(kind: str, path: Path, tz: str, now: str, repeat: int) -> list[float]:
    data = path.read_bytes()
    at = datetime.fromisoformat(now.replace("Z", "+00:00")).astimezone(UTC)
    samples = []
    for run in range(repeat + 1):
        started = time.perf_counter()
        parse_document(kind, data, source="bench", timezone=tz, now=at)
        if run:  # the first parse warms imports and caches
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if not (args.corpus / "cases.json").exists():
        sys.exit(f"{args.corpus}/cases.json is absent: the corpus is in ../shared")
    medians: dict[str, float] = {}
    slowest = 0.0
    for kind, path, tz, now in documents(args.corpus):
        samples = time_document(kind, path, tz, now, args.repeat)
        medians[path.name] = statistics.median(samples)
        slowest = max(slowest, max(samples))
        log(f"{medians[path.name]:8.2f} ms median  {max(samples):8.2f} ms max  "
            f"{path.stat().st_size:>7} B  {kind:12} {path.name}")
    worst = max(medians, key=medians.__getitem__)
    print(json.dumps({"documents": len(medians), "repeat": args.repeat,
                      "median_ms": round(statistics.median(medians.values()), 2),
                      "slowest_document": worst, "slowest_median_ms": round(medians[worst], 2),
                      "max_ms": round(slowest, 2)}))


if __name__ == "__main__":
    main()
