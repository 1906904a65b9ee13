"""The hard side of bench/papers.py (issue 15): 30 queries that hurt (common words, phrases
of common words, authors, Chinese), timed through lectern's search and, in the same run,
through plain FTS5 bm25 ranking over the same papers (an external-content FTS5 table on
the papers table, ordered by `rank`, as sqlite-utils' `search` does); the backfill check
(old papers stored last must not change which papers rank first) and how many years the
archive search's top 10 spans for common words; and the real arXiv papers, stored in a
shuffled order.
"""

from __future__ import annotations

import json
import lzma
import random
import statistics
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bench.common import log
from bench.papers_corpus import Corpus
from bench.papers_search import pct
from bot.models import Paper
from bot.topics import parse_query
from storage.fts import compile_match
from storage.store import Store

HARD = ["learning", "model", "neural network", "data", "the", "deep learning", "diffusion",
        "transformer", "kernel", "attention", "reinforcement", "contrastive", "quantization",
        "warp-u", "canonicalization", "legendretron", "tokamak", "groupnorm", "zebrafish",
        '"neural network"', '"large language models"', '"score matching"',
        '"to the best of our knowledge"', '"data model"', '"neural models learning"',
        "author:hinton", 'author:"Wei Zhang"', "author:ramanujan", "冷冻电镜", "扩散模型"]
ARCHIVE_WORDS = ["learning", "diffusion", "transformer"]
BM25_FIELDS = {None: None, "title": "title", "author": "authors"}  # the bm25 table's columns


def time_hard(store: Store, rounds: int) -> dict[str, object]:
    """The 30 hard queries through Store.search: a warm-up, then `rounds` passes."""
    parsed = [(text, parse_query(text)) for text in HARD]
    for _, query in parsed:
        store.search(query, limit=10)
    samples, worst = [], {}
    for _ in range(rounds):
        for text, query in parsed:
            began = time.perf_counter()
            store.search(query, limit=10)
            ms = (time.perf_counter() - began) * 1000
            samples.append(ms)
            worst[text] = max(worst.get(text, 0.0), ms)
    slowest = max(worst, key=worst.__getitem__)
    return {"samples": samples, "p50": pct(samples, 50), "p99": pct(samples, 99),
            "max": worst[slowest], "worst_query": slowest,
            "per_query_max_ms": {k: round(v, 2) for k, v in worst.items()}}


def time_bm25(store: Store) -> dict[str, object]:
    """The hard queries ranked by FTS5's bm25 over the same papers, once each (after
    building the external-content index it needs), with lectern's time per query beside."""
    began = time.perf_counter()
    db = store.db
    db.execute("CREATE VIRTUAL TABLE papers_bm25 USING fts5(title, abstract, authors, "
               "content='papers', content_rowid='seq', "
               "tokenize='porter unicode61 remove_diacritics 2')")
    db.execute("INSERT INTO papers_bm25 (papers_bm25) VALUES ('rebuild')")
    build_s = time.perf_counter() - began
    log(f"FTS5 bm25 index built in {build_s:.0f} s")
    ours, theirs = [], []
    for text in HARD:
        query = parse_query(text)
        match = compile_match(query, BM25_FIELDS)
        if match is None:
            continue
        ranked = ("SELECT rowid FROM papers_bm25 WHERE papers_bm25 MATCH ? ORDER BY rank "
                  "LIMIT 10")
        store.search(query, limit=10)  # each warmed once, as in the mix
        db.execute(ranked, [match]).fetchall()
        ours.append(_timed(store.search, query, limit=10))
        theirs.append(_timed(lambda *args: db.execute(*args).fetchall(), ranked, [match]))
        log(f"{text!r}: lectern {ours[-1]:.1f} ms, FTS5 bm25 {theirs[-1]:.1f} ms")
    db.execute("DROP TABLE papers_bm25")
    return {"build_s": round(build_s, 1), "queries": len(ours),
            "lectern_p50_ms": round(statistics.median(ours), 2),
            "fts5_p50_ms": round(statistics.median(theirs), 2),
            "fts5_p50_ratio": round(statistics.median(theirs) / statistics.median(ours), 1)}


def _timed(work, *args, **kwargs) -> float:
    began = time.perf_counter()
    work(*args, **kwargs)
    return (time.perf_counter() - began) * 1000


def archive_years(store: Store) -> int:
    """The fewest distinct publication years in the top 10 (sort best) of a common word."""
    return min(len({hit.published.year for hit in store.search(parse_query(word), 10)
                    if hit.published}) for word in ARCHIVE_WORDS)


def backfill_check(store: Store, corpus: Corpus, now: datetime) -> bool:
    """Store 3,000 papers of 2015 after everything else: for each common word the
    newest-first top 10 must not change, nor the paper ranked first best-first."""
    def tops(sort: str) -> dict[str, list[str]]:
        return {word: [hit.id for hit in store.search(parse_query(word), 10, sort=sort)]
                for word in ARCHIVE_WORDS}

    before_new, before_best = tops("new"), tops("best")
    old = [replace(paper, id=f"backfill:{n}") for n, paper in enumerate(corpus.papers(
        3_000, datetime(2015, 1, 1, tzinfo=UTC), datetime(2015, 12, 1, tzinfo=UTC), salt=7))]
    store.upsert_papers(old, now)
    after_new, after_best = tops("new"), tops("best")
    backfilled = {paper.id for paper in old}
    entered = sum(len(set(ids) & backfilled) for ids in after_best.values())
    firsts = all(after_best[w][:1] == before_best[w][:1] for w in ARCHIVE_WORDS)
    log(f"backfill: newest-first top 10s unchanged: {after_new == before_new}; best-first "
        f"firsts unchanged: {firsts}; backfilled papers in the best-first top 10s: {entered}")
    return after_new == before_new and firsts


def real_papers(path: Path, seed: int = 15) -> Iterator[Paper]:
    """The real arXiv papers of ../shared/corpus/arxiv-metadata, in a shuffled order."""
    with lzma.open(path, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    random.Random(seed).shuffle(records)
    for record in records:
        yield Paper(id=f"real:{record['id']}", title=record["title"], source="arxiv",
                    abstract=record["abstract"], authors=record["authors"],
                    categories=record["categories"],
                    published=datetime.fromisoformat(record["date"]).replace(tzinfo=UTC))
