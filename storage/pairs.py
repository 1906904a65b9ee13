"""An index of the adjacent pairs of common words in every paper, so that a phrase of
common words ("data model", "neural models learning") is found by reading the few papers
that hold its pairs, not the positions of every paper that holds its words.

FTS5 checks a phrase by reading the positions of each paper holding all of its words: at
1M papers, 287,000 papers for "neural models learning", which none of them holds (60-100
ms). `papers_pairs` (contentless, detail=none) holds, under each paper's full-text key
(storage.paper_index), its adjacent token pairs in any column where both tokens are in
storage.common_tokens.COMMON, each pair as the codes of its two tokens (three letters
each, one code per token: no two pairs share a term). A phrase with a rarer word is left
to FTS5, whose check is bounded by that word's papers.

Tokenising every abstract in Python costs about as much as storing the paper, so the
pairs are not written when a paper is stored: its key goes into `papers_pairs_pending`
and `index_pending` indexes the pending papers afterwards (the ingest worker, for about a
second after each document; `lectern ingest`, up to 30 s). Search stays exact meanwhile:
`newest` checks the pending papers too, and leaves the search to FTS5 when more than
PENDING_CAP wait (a backfill being indexed).

A two-word phrase is answered by the index alone: a paper holds the pair exactly when it
holds the phrase. For any other query each candidate is checked against the whole query on
FTS5's own tokens (storage.titles.matches): a longer phrase's pairs may not follow each
other, and the query may ask for more.
"""

from __future__ import annotations

import json
import time
from itertools import repeat
from typing import Any

import sqlite_utils

from bot.fulltext import tokens
from bot.models import And, Query, Term
from storage.common_tokens import COMMON
from storage.db import transaction
from storage.paper_index import SEQ_BITS, entry_key, tune_bulk_index
from storage.titles import ALPHABET, ColumnTokens, matches, rows_of

BUDGET = 256  # candidates checked at most (~15 ms); past it FTS5 answers
PENDING_CAP = 64  # papers not yet indexed that a search checks itself; past it, FTS5
CATCH_UP = 200  # papers indexed per transaction by catch_up (~30 ms)
_COLUMNS = ("title", "abstract", "authors", "categories", "sources")
_INSERT = "INSERT INTO papers_pairs (rowid, pairs) VALUES (?, ?)"
_SEQ_MASK = (1 << SEQ_BITS) - 1  # storage.paper_index: a key's low bits are its seq
# Each common token's code: its place in sorted order, three letters of storage.titles'
# alphabet (32 ** 3 places).
CODE = {token: "".join(ALPHABET[(place >> shift) & 31] for shift in (10, 5, 0))
        for place, token in enumerate(sorted(COMMON))}


def create_pairs_index(db: sqlite_utils.Database) -> None:
    """Migration 18: the pairs index, empty, and every stored paper pending for it."""
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS papers_pairs USING fts5(pairs, "
               "content='', columnsize=0, detail=none)")
    tune_bulk_index(db, "papers_pairs")
    db.execute("CREATE TABLE IF NOT EXISTS papers_pairs_pending (key INTEGER PRIMARY KEY)")
    rows = db.execute("SELECT seq, published, first_seen FROM papers")
    db.conn.executemany(
        "INSERT OR IGNORE INTO papers_pairs_pending (key) VALUES (?)",
        ((entry_key({"published": published, "first_seen": seen}, seq),)
         for seq, published, seen in rows))


def pair_text(row: dict[str, Any]) -> str:
    """A row's entry in papers_pairs: the codes of its adjacent common pairs, once each."""
    columns, found = ColumnTokens(row), set()
    for column in _COLUMNS:
        codes = list(map(CODE.get, columns[column], repeat("")))
        found.update(a + b for a, b in zip(codes, codes[1:], strict=False) if a and b)
    return " ".join(found)


def mark_pending(conn: Any, keys: list[int]) -> None:
    """Entries just written to the full-text index, for catch_up."""
    conn.executemany("INSERT OR IGNORE INTO papers_pairs_pending (key) VALUES (?)",
                     [(key,) for key in keys])


def forget(conn: Any, key: int, old: dict[str, Any]) -> None:
    """An entry rewritten or gone: out of the pending list, or out of the index (told the
    text it was given, as a contentless index must be)."""
    if conn.execute("DELETE FROM papers_pairs_pending WHERE key = ?", [key]).rowcount:
        return
    conn.execute("INSERT INTO papers_pairs (papers_pairs, rowid, pairs) "
                 "VALUES ('delete', ?, ?)", [key, pair_text(old)])


def catch_up(db: sqlite_utils.Database, limit: int = CATCH_UP) -> int:
    """Index up to `limit` pending papers, newest first, in one transaction; how many
    left the pending list (0: none was waiting)."""
    with transaction(db) as conn:
        keys = [row[0] for row in conn.execute(
            "SELECT key FROM papers_pairs_pending ORDER BY key DESC LIMIT ?", [limit])]
        if not keys:
            return 0
        conn.executemany(_INSERT, [(key, pair_text(row)) for key, row in rows_of(db, keys)])
        conn.execute("DELETE FROM papers_pairs_pending WHERE key IN "
                     "(SELECT value FROM json_each(?))", [json.dumps(keys)])
    return len(keys)


def index_pending(db: sqlite_utils.Database, seconds: float | None = None) -> int:
    """catch_up until nothing waits or, given `seconds`, until they are spent (the rest
    waits for the next document: search is exact meanwhile); how many were indexed. Each
    transaction holds the write lock about as long as storing a document does."""
    began, done = time.monotonic(), 0
    while seconds is None or time.monotonic() - began < seconds:
        indexed = catch_up(db)
        if not indexed:
            break
        done += indexed
    return done


def pending_count(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM papers_pairs_pending").fetchone()[0]


def newest(db: sqlite_utils.Database, query: Query, count: int) -> tuple[list[int], bool] | None:
    """Seqs of the `count` newest papers matching `query`, and whether they are all its
    matches; None when this index cannot answer it better than FTS5 (the query requires
    no phrase of common words, too many papers wait to be indexed, or more than BUDGET
    papers hold the pairs of a phrase that needs checking)."""
    phrase = required_phrase(query)
    if phrase is None:
        return None
    pending = [row[0] for row in db.execute(
        "SELECT key FROM papers_pairs_pending ORDER BY key DESC LIMIT ?", [PENDING_CAP + 1])]
    if len(pending) > PENDING_CAP:
        return None
    expression = " AND ".join(f'"{CODE[a]}{CODE[b]}"'
                              for a, b in zip(phrase, phrase[1:], strict=False))
    if isinstance(query, Term) and query.field is None and len(phrase) == 2:
        found = [row[0] for row in db.execute(  # the pair is the phrase: nothing to check
            "SELECT rowid FROM papers_pairs WHERE papers_pairs MATCH ? ORDER BY rowid DESC "
            "LIMIT ?", [expression, count + 1])]
        complete = len(found) <= count
    elif (walked := _walk(db, expression, query)) is not None:
        found, complete = walked, True
    else:
        return None
    # Pending keys are read before the index: a key the child indexes in between is then
    # seen twice, never missed; once is enough.
    found = sorted({*found, *_checked(db, pending, query)}, reverse=True)
    return [key & _SEQ_MASK for key in found[:count]], complete and len(found) <= count


def _walk(db: sqlite_utils.Database, expression: str, query: Query) -> list[int] | None:
    """Every key holding the pairs that answers the query; None when more than BUDGET
    hold them (then the phrase is common enough for FTS5 to meet its matches soon)."""
    keys = [row[0] for row in db.execute(
        "SELECT rowid FROM papers_pairs WHERE papers_pairs MATCH ? ORDER BY rowid DESC "
        "LIMIT ?", [expression, BUDGET + 1])]
    return None if len(keys) > BUDGET else _checked(db, keys, query)


def _checked(db: sqlite_utils.Database, keys: list[int], query: Query) -> list[int]:
    return [key for key, row in rows_of(db, keys) if matches(query, ColumnTokens(row), False)]


def required_phrase(query: Query) -> tuple[str, ...] | None:
    """The tokens of a phrase of common words that every match holds (the longest, if
    the query requires several), else None."""
    if isinstance(query, Term):
        found = tokens(query.text)
        return found if len(found) > 1 and COMMON.issuperset(found) else None
    if isinstance(query, And):
        phrases = [p for child in query.children if (p := required_phrase(child))]
        return max(phrases, key=len, default=None)
    return None
