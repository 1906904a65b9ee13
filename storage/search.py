"""Full-text search over papers: rank the newest matching candidates, best first.

Scoring every match of a common word ("learning") in a million papers costs seconds, and
so does FTS5's bm25: for its IDF it counts each phrase's matches over the whole index
(over 100 ms for a common phrase at a million papers, growing with the corpus). So we
take the newest `candidates` matches (FTS5 walks its index in rowid order and stops
early) and rank only those, by where the query's words appear: each one in the title
counts most, in the author list less, and ties go to the newest paper. That ranking reads
only the candidates' own rows, so it costs the same at any corpus size.
"""

from __future__ import annotations

import json
import unicodedata

import sqlite_utils

from bot.clock import parse_instant
from bot.models import And, Or, Query, SearchHit, Term
from storage.fts import PAPER_FIELDS, compile_match

CANDIDATES = 300
# Points for each query word found in a candidate's title or author list; every
# candidate scores 1 for matching at all.
_TITLE, _AUTHORS = 8, 4
_MAX_WORDS = 8
# Crude English suffixes, so that "pruning" finds "Prune" in a title as FTS5's porter
# stemmer found it in the index. Only the ranking uses this; matching is FTS5's alone.
_SUFFIXES = ("ing", "ies", "ied", "es", "ed", "s", "e", "y")


def search_papers(db: sqlite_utils.Database, query: Query, limit: int = 10,
                  candidates: int = CANDIDATES) -> list[SearchHit]:
    """Papers matching `query`, best first. Raises QueryError for unanswerable queries."""
    match = compile_match(query, PAPER_FIELDS)
    if match is None:
        return []
    keys = list(dict.fromkeys(_key(term) for term in _wanted(query)))[:_MAX_WORDS]
    points = " + ".join(["(instr(lower(p.title), ?) > 0) * ? + "
                         "(instr(lower(p.authors), ?) > 0) * ?"] * len(keys)) or "0"
    rows = db.execute(
        f"""WITH hits AS (
                SELECT rowid AS seq FROM papers_fts WHERE papers_fts MATCH ?
                ORDER BY rowid DESC LIMIT ?)
            SELECT p.id, p.title, p.url, p.authors, p.published, 1 + {points} AS score
            FROM hits JOIN papers p ON p.seq = hits.seq
            ORDER BY score DESC, p.published DESC, p.seq DESC LIMIT ?""",  # noqa: S608
        [match, max(1, candidates), *(v for k in keys for v in (k, _TITLE, k, _AUTHORS)),
         max(1, limit)]).fetchall()
    return [SearchHit(kind="paper", id=r[0], title=r[1], url=r[2] or "",
                      authors=json.loads(r[3] or "[]"),
                      published=parse_instant(r[4]) if r[4] else None,
                      score=float(r[5])) for r in rows]


def _wanted(query: Query) -> list[Term]:
    """The query's unfielded words and phrases that a match may contain (not exclusions)."""
    if isinstance(query, Term):
        return [query] if query.field is None and query.text.strip() else []
    if isinstance(query, And | Or):
        return [term for child in query.children for term in _wanted(child)]
    return []  # Not: an excluded word earns nothing


def _key(term: Term) -> str:
    """What to look for in a lower-cased title: the words, the last one stemmed."""
    text = " ".join(unicodedata.normalize("NFKC", term.text).lower().split())
    head, _, last = text.rpartition(" ")
    if last.isascii() and last.isalpha():
        for suffix in _SUFFIXES:
            if last.endswith(suffix) and len(last) - len(suffix) >= 3:
                last = last[:-len(suffix)]
                break
    return f"{head} {last}" if head else last
