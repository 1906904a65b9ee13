"""Full-text search over papers: rank the newest matching candidates, best first.

Scoring every match of a common word ("learning") in a million papers costs seconds, so
we take the newest `candidates` matches (FTS5 walks its index in rowid order and stops
early), score those with bm25, and break ties by publication time.
"""

from __future__ import annotations

import json

import sqlite_utils

from bot.clock import parse_instant
from bot.models import Query, SearchHit
from storage.fts import PAPER_FIELDS, compile_match

CANDIDATES = 1_000
# bm25 weights, in the order of PAPERS_FTS_COLUMNS: title, abstract, authors, categories,
# sources.
_WEIGHTS = "8.0, 1.0, 4.0, 2.0, 0.5"


def search_papers(db: sqlite_utils.Database, query: Query, limit: int = 10,
                  candidates: int = CANDIDATES) -> list[SearchHit]:
    """Papers matching `query`, best first. Raises QueryError for unanswerable queries."""
    match = compile_match(query, PAPER_FIELDS)
    if match is None:
        return []
    rows = db.execute(
        f"""WITH hits AS (
                SELECT rowid, bm25(papers_fts, {_WEIGHTS}) AS rank FROM papers_fts
                WHERE papers_fts MATCH ? ORDER BY rowid DESC LIMIT ?)
            SELECT p.id, p.title, p.url, p.authors, p.published, hits.rank
            FROM hits JOIN papers p ON p.seq = hits.rowid
            ORDER BY hits.rank, p.published DESC, p.seq DESC LIMIT ?""",  # noqa: S608
        [match, max(1, candidates), max(1, limit)]).fetchall()
    return [SearchHit(kind="paper", id=r[0], title=r[1], url=r[2] or "",
                      authors=json.loads(r[3] or "[]"),
                      published=parse_instant(r[4]) if r[4] else None,
                      score=round(-r[5], 4)) for r in rows]
