"""Relevance benchmark (issue 16): 10 channels learn from their votes on real arXiv listings.

    python bench/relevance.py [--seed 0] [--per-day 10] [--end YYYY-MM-DD] [--words]
                              [--quick] [--channels cs.RO,gr-qc] [--weeks 8] [--json]

Replays the last eight weeks of ../shared/corpus/arxiv-metadata day by day (`--end`: the
eight weeks ending that day instead) for 10 channels, each interested in one arXiv
category (the hidden truth: the paper has it, primary or cross-listed) and subscribed with
an OR query matched by lectern's own matcher (bench/relevance_data.py). Each day every
channel is shown its keyword matches (in lectern's order without a model: more of the
words that matched in the title first, then more words, bot.taste.strength), or, once it
has a model, `bot.relevance.choose` of them and the model's picks (size 10, --per-day
picks at most); members vote on 30% of what they are shown; the model is retrained after
each day (categories are not features).
Each day's papers, padded with earlier ones to 1,000, are read (vectorized) once for all
channels, as the bot does; `score_ms` is one channel scoring them, `read_ms` the reading,
`alone_ms` both (a bot with a single channel).
P@10 of a list = on-topic papers / papers in it (all when fewer than 10; a day with an
empty list does not count). "After k weeks" = the mean over the listing days of week k
of the replay (days 7k-6 .. 7k), per channel, then over channels.
Progress goes to stderr; with `--json` the last line of stdout is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import log  # noqa: E402
from bench.relevance_data import CORPUS, PHRASES, WEEKS, build_world, last_day  # noqa: E402
from bench.relevance_replay import Channel, ChannelRun  # noqa: E402

METHODS = ("keyword", "model", "combined")
QUICK_CHANNELS = ["cs.GR", "astro-ph.CO"]
QUICK_WEEKS = 1


def week_means(run: ChannelRun, week: int) -> dict[str, float | None]:
    """This channel's mean daily P@10 of each method over the days of `week`."""
    out: dict[str, float | None] = {}
    for method in METHODS:
        values = [getattr(d, method) for d in run.days if d.week == week]
        values = [v for v in values if v is not None]
        out[method] = statistics.fmean(values) if values else None
    return out


def over_channels(runs: list[ChannelRun], week: int) -> dict[str, float | None]:
    per = [week_means(run, week) for run in runs]
    out: dict[str, float | None] = {}
    for method in METHODS:
        values = [p[method] for p in per if p[method] is not None]
        out[method] = statistics.fmean(values) if values else None
    return out


def ratio(combined: float | None, keyword: float | None) -> float | None:
    if combined is None or keyword is None:
        return None
    return combined / keyword if keyword else (float("inf") if combined else 1.0)


def figures(runs: list[ChannelRun], weeks: int, reads: list[float]) -> dict[str, object]:
    """The JSON figures; `reads` = milliseconds to read each day's batch (once a day)."""
    marks = [w for w in (1, 2, 4, 8) if w <= weeks]
    by_week = {w: over_channels(runs, w) for w in marks}
    last = max(marks)
    channel_last = {run.category: week_means(run, last) for run in runs}
    ratios = {cat: ratio(m["combined"], m["keyword"]) for cat, m in channel_last.items()}
    known = [r for r in ratios.values() if r is not None]
    mid = 4 if 4 in by_week else last
    out: dict[str, object] = {
        "keyword_p10_4w": by_week[mid]["keyword"], "model_p10_4w": by_week[mid]["model"],
        "combined_p10_4w": by_week[mid]["combined"],
        "combined_over_keyword_min_8w": min(known) if known else None,
        "train_s_max": max((s for r in runs for s in r.train_s), default=0.0),
        "train_s_median": statistics.median([s for r in runs for s in r.train_s] or [0]),
        **_spread("score_ms", [s for r in runs for s in r.score_ms]),
        **_spread("read_ms", reads), **_spread("alone_ms", [s for r in runs for s in r.alone_ms]),
        "model_mb_max": max((m for r in runs for m in r.memory_mb), default=0.0),
        "blob_mb_max": max((m for r in runs for m in r.blob_mb), default=0.0),
        "train_peak_mb_max": max((r.train_peak_mb for r in runs), default=0.0),
        "weeks": {str(w): by_week[w] for w in marks},
        "channels_last_week": {cat: {**m, "ratio": ratios[cat]} for cat, m in channel_last.items()},
    }
    return out


def _spread(name: str, values: list[float]) -> dict[str, float]:
    """name_max, name_median and name_p95 of `values` (0 when there are none)."""
    p95 = (statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1
           else sum(values))
    return {f"{name}_max": max(values, default=0.0),
            f"{name}_median": statistics.median(values or [0.0]), f"{name}_p95": p95}


def _fmt(value: object) -> str:
    return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def _ms(result: dict[str, object], name: str) -> str:
    return (f"median {result[name + '_median']:.1f} ms, p95 {result[name + '_p95']:.1f} ms, "
            f"max {result[name + '_max']:.1f} ms")


def report(result: dict[str, object], header: str) -> None:
    print(header)
    print("mean daily P@10 over the days of week k (each channel, then the mean of channels)")
    print(f"{'week':>6} {'keyword':>8} {'model':>8} {'combined':>9} {'comb/kw':>8}")
    for week, m in result["weeks"].items():
        print(f"{week:>6} {_fmt(m['keyword']):>8} {_fmt(m['model']):>8} "
              f"{_fmt(m['combined']):>9} {_fmt(ratio(m['combined'], m['keyword'])):>8}")
    print(f"per channel, the last week ({max(result['weeks'], key=int)}):")
    for cat, m in result["channels_last_week"].items():
        print(f"{cat:>12} {_fmt(m['keyword']):>8} {_fmt(m['model']):>8} "
              f"{_fmt(m['combined']):>9} {_fmt(m['ratio']):>8}")
    print(f"train: median {result['train_s_median']:.3f} s, max {result['train_s_max']:.3f} s; "
          f"a day's 1,000 papers: read once {_ms(result, 'read_ms')}, then each channel "
          f"scores them {_ms(result, 'score_ms')} (a channel alone: {_ms(result, 'alone_ms')})")
    print(f"model: {result['blob_mb_max']:.2f} MB stored, {result['model_mb_max']:.2f} MB in "
          f"memory (max); training peak {result['train_peak_mb_max']:.1f} MB (traced)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-day", type=int, default=10)
    parser.add_argument("--end", type=date.fromisoformat, default=None)
    parser.add_argument("--words", action="store_true", help="queries word by word")
    parser.add_argument("--quick", action="store_true", help="2 channels, 1 week")
    parser.add_argument("--channels", default=None, help="categories, comma-separated")
    parser.add_argument("--weeks", type=int, default=None)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    categories = QUICK_CHANNELS if args.quick else list(PHRASES)
    categories = args.channels.split(",") if args.channels else categories
    weeks = args.weeks or (QUICK_WEEKS if args.quick else WEEKS)
    end = args.end or last_day(args.corpus)
    began = time.perf_counter()
    world = build_world(args.corpus, end, categories, weeks=weeks, words=args.words)
    log(f"{len(world.days)} listing days from {world.start} to {end}, matched in "
        f"{time.perf_counter() - began:.1f} s")
    runs = []
    for category in categories:
        began = time.perf_counter()
        runs.append(Channel(category, world, args.per_day, args.seed).replay(True))
        log(f"{category}: {time.perf_counter() - began:.1f} s")
    result = figures(runs, weeks, [day.read[1] for day in world.days if day.read])
    result.update(seed=args.seed, per_day=args.per_day, end=end.isoformat(),
                  start=world.start.isoformat(), days=len(world.days), words=args.words)
    report(result, f"relevance: {len(categories)} channels, {world.start}..{end} "
                   f"({len(world.days)} listing days), per_day={args.per_day}, seed={args.seed}")
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
