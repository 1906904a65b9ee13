"""Paper store benchmark: bulk ingest, a fixed search mix, and a Python full scan as baseline.

    python bench/papers.py --papers 1000000 [--corpus PATH] [--db PATH --keep] [--json]

Builds that many distinct papers by recombining real titles and abstracts (deterministic,
generated lazily), stores them through `Store.upsert_papers` in chunks, indexes their
phrases of common words as the ingest worker does after storing (storage.pairs, timed
apart), stores one daily batch on top (and indexes it), then times a fixed mix of 200
searches and, for 10 of them, a scan over every stored paper in Python (the way
arxiv-sanity-lite searches). Progress goes to stderr; with
`--json` stdout holds exactly one JSON object.

This file stores the papers and runs and reports the whole; the corpus is generated in
bench/papers_corpus.py, the search mix and the scan baseline are in bench/papers_search.py.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import SEEDS, log  # noqa: E402
from bench.papers_compare import (  # noqa: E402
    archive_years,
    backfill_check,
    real_papers,
    time_bm25,
    time_hard,
)
from bench.papers_corpus import Corpus  # noqa: E402
from bench.papers_search import SCAN_QUERIES, pct, time_scans, time_searches  # noqa: E402
from storage import pairs  # noqa: E402
from storage.store import Store  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
REAL = ROOT.parent / "shared" / "corpus" / "arxiv-metadata" / "papers.jsonl.xz"
BACKFILL_FROM = datetime(2015, 1, 1, tzinfo=UTC)
BACKFILL_TO = datetime(2026, 11, 21, tzinfo=UTC)
DAILY = datetime(2026, 11, 22, tzinfo=UTC)


def ingest(store: Store, corpus: Corpus, count: int, chunk: int,
           real: Path | None = None) -> dict[str, float]:
    """Store the backfill in chunks; time only the store (generation is reported apart).
    With `real`, the real arXiv papers come first, shuffled, then synthetic ones up to
    `count`.

    Besides wall time, count the process's CPU time in the store: on a shared machine it
    says what the code costs when other work does not take the core away.
    """
    papers = corpus.papers(count, BACKFILL_FROM, BACKFILL_TO)
    if real is not None:
        papers = itertools.islice(itertools.chain(real_papers(real), papers), count)
    stored, store_s, cpu_s, generate_s, slowest = 0, 0.0, 0.0, 0.0, 0.0
    started = time.perf_counter()
    while True:
        batch_started = time.perf_counter()
        batch = list(itertools.islice(papers, chunk))
        if not batch:
            break
        generate_s += time.perf_counter() - batch_started
        began, cpu_began = time.perf_counter(), time.process_time()
        result = store.upsert_papers(batch, NOW)
        elapsed = time.perf_counter() - began
        store_s, cpu_s = store_s + elapsed, cpu_s + time.process_time() - cpu_began
        slowest = max(slowest, elapsed)
        stored += len(result.new)
        log(f"ingest {stored:,}/{count:,} papers, {stored / store_s:,.0f} papers/s through "
            f"the store (this chunk {len(batch) / elapsed:,.0f}/s), "
            f"{time.perf_counter() - started:,.0f} s elapsed")
    if stored != count:
        raise SystemExit(f"expected {count} new papers, the store reported {stored}")
    return {"ingest_s": store_s, "cpu_s": cpu_s, "generate_s": generate_s,
            "slowest_chunk_s": slowest}


def daily_batch(store: Store, corpus: Corpus, count: int = 2_000) -> float:
    """One day's new papers into the full database (ids past any backfill number)."""
    batch = list(corpus.papers(count, DAILY, DAILY + timedelta(hours=20),
                               first_number=90_000, salt=1))
    began = time.perf_counter()
    result = store.upsert_papers(batch, NOW)
    elapsed = time.perf_counter() - began
    assert len(result.new) == count, result.counts()
    return elapsed


def index_phrases(store: Store) -> dict[str, float]:
    """What the ingest worker does after storing: the pending papers into the pairs index
    (storage.pairs), timed apart from the store (search is exact before it, only slower
    on phrases of common words)."""
    waiting = pairs.pending_count(store.db)
    began, cpu_began = time.perf_counter(), time.process_time()
    indexed = pairs.index_pending(store.db)
    elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu_began
    log(f"phrase index: {indexed:,} papers in {elapsed:.1f} s ({cpu:.1f} s CPU)")
    assert indexed == waiting, (indexed, waiting)
    return {"papers": indexed, "s": elapsed, "cpu_s": cpu}


def db_megabytes(path: Path) -> float:
    files = [path, path.with_name(path.name + "-wal")]
    return sum(f.stat().st_size for f in files if f.exists()) / 1e6


def run(args: argparse.Namespace, path: Path) -> dict[str, object]:
    load_start = os.getloadavg()[0]
    corpus = Corpus(args.corpus)
    store = Store.open(path)
    try:
        timing = ingest(store, corpus, args.papers, args.chunk, args.real)
        timing["phrases"] = index_phrases(store)
        daily_s = daily_batch(store, corpus)
        log(f"daily batch of 2,000 papers stored in {daily_s:.2f} s")
        timing["daily_phrases"] = index_phrases(store)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        searches = time_searches(store, args.rounds)
        hard = time_hard(store, args.rounds)
        log(f"hard mix: p99 {hard['p99']:.1f} ms, max {hard['max']:.1f} ms "
            f"({hard['worst_query']})")
        years = archive_years(store)
        size_mb = db_megabytes(path)  # before the FTS5 comparison's own index
        scans = time_scans(store)
        bm25 = time_bm25(store) if args.fts5 else None
        backfill = backfill_check(store, corpus, NOW)
    finally:
        store.close()
    figures = _figures(args, size_mb, timing, daily_s, searches, scans)
    whole = searches["samples_kept"] + hard.pop("samples")
    figures.update({
        "hard_mix_p99_ms": round(hard["p99"], 2), "hard_mix_max_ms": round(hard["max"], 2),
        "hard_mix_worst_query": hard["worst_query"],
        "whole_mix_p99_ms": round(pct(whole, 99), 2),
        "fts5_p50_ratio": bm25["fts5_p50_ratio"] if bm25 else None, "fts5": bm25,
        "backfill_ok": backfill, "archive_years_top10": years,
        "hard_mix_per_query_max_ms": hard["per_query_max_ms"],
        "real_papers": args.real is not None,
        "load_avg_1m_start_end": [round(load_start, 2), round(os.getloadavg()[0], 2)]})
    return figures


def _figures(args: argparse.Namespace, size_mb: float, timing: dict, daily_s: float,
             searches: dict, scans: list[float]) -> dict[str, object]:
    samples = searches.pop("samples")
    searches["samples_kept"] = samples
    search_p50, scan_p50 = pct(samples, 50), statistics.median(scans)
    same = [searches["worst_per_query"][q] for q in SCAN_QUERIES]
    return {
        "papers": args.papers,
        "ingest_papers_per_s": round(args.papers / timing["ingest_s"]),
        "db_mb": round(size_mb, 1),
        "search_p50_ms": round(search_p50, 2),
        "search_p99_ms": round(pct(samples, 99), 2),
        "scan_p50_ms": round(scan_p50, 1),
        "speedup_vs_scan": round(scan_p50 / search_p50, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "daily_batch_s": round(daily_s, 3),
        "phrase_index_papers_per_s": round(args.papers / timing["phrases"]["s"]),
        "phrase_index_cpu_papers_per_s": round(args.papers / timing["phrases"]["cpu_s"]),
        "daily_phrase_index_s": round(timing["daily_phrases"]["s"], 3),
        "ingest_cpu_papers_per_s": round(args.papers / timing["cpu_s"]),
        "ingest_slowest_chunk_s": round(timing["slowest_chunk_s"], 1),
        "ingest_s": round(timing["ingest_s"], 1),
        "generate_s": round(timing["generate_s"], 1),
        "search_max_ms": round(searches["worst_ms"], 2),
        "search_worst_query": searches["worst_query"],
        "scan_queries_search_max_ms": round(max(same), 2),
        "search_by_class": {k: {m: round(v, 2) for m, v in d.items()}
                            for k, d in searches["by_kind"].items()},
        "queries_without_hits": searches["empty"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--corpus", type=Path, default=SEEDS,
                        help="seed file: two header lines, then title / abstract lines")
    parser.add_argument("--db", type=Path, help="database file (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--chunk", type=int, default=20_000, help="papers per upsert call")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the mix")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--real", type=Path, nargs="?", const=REAL, default=None,
                        help="store the real arXiv papers first (shuffled), then synthetic "
                             "ones up to --papers (default file: ../shared/corpus/"
                             "arxiv-metadata/papers.jsonl.xz)")
    parser.add_argument("--no-fts5", dest="fts5", action="store_false",
                        help="skip the FTS5 bm25 comparison (it builds a second index)")
    args = parser.parse_args()
    if not 1 <= args.papers <= 10_000_000:
        raise SystemExit("--papers: from 1 to 10,000,000 (ids are YYMM.NNNNN per month)")
    if args.db and args.db.exists():
        raise SystemExit(f"{args.db} exists: the benchmark builds a fresh database")
    path = args.db or Path(tempfile.mkdtemp(prefix="lectern-bench-")) / "papers.db"
    try:
        figures = run(args, path)
    finally:
        if args.keep:
            log(f"kept {path}")
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            if not args.db:
                path.parent.rmdir()
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:28} {value}")


if __name__ == "__main__":
    main()
