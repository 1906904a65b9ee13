"""The papers' full-text index entries: the text each paper is found by, and the key that
orders the index by publication day.

FTS5 walks an index in rowid order, so the rowid decides which matches are "the newest":
an entry's rowid is (publication day << 32) | seq. Taking the largest keys gives the
matches published last, whatever order the papers were stored in (a backfill of 2015
papers stored after this week's stays behind them); a range of keys is a range of days,
which search uses to take candidates from every year of the archive. The low 32 bits are
the paper's seq, so an entry leads back to its row. A paper without a publication date is
keyed by the day it was first seen.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlite_utils

from storage.fts import PAPERS_FTS_COLUMNS, index_text
from storage.titles import title_text

SEQ_BITS = 32
_SEQ_MASK = (1 << SEQ_BITS) - 1
_EPOCH = date(1970, 1, 1).toordinal()
_CHUNK = 5_000

_COLUMNS = ", ".join(PAPERS_FTS_COLUMNS)
_MARKS = ", ".join("?" for _ in PAPERS_FTS_COLUMNS)
INSERT = f"INSERT INTO papers_fts (rowid, {_COLUMNS}) VALUES (?, {_MARKS})"  # noqa: S608
DELETE = (f"INSERT INTO papers_fts (papers_fts, rowid, {_COLUMNS}) "  # noqa: S608
          f"VALUES ('delete', ?, {_MARKS})")
SEQ_OF_KEY = f"(rowid & {_SEQ_MASK})"  # SQL: the paper's seq from an entry's rowid
TITLES_INSERT = "INSERT INTO papers_titles (rowid, title) VALUES (?, ?)"
TITLES_DELETE = ("INSERT INTO papers_titles (papers_titles, rowid, title) "
                 "VALUES ('delete', ?, ?)")


def day_number(day: date) -> int:
    """Days since 1970-01-01 (negative before it)."""
    return day.toordinal() - _EPOCH


def day_key(day: date) -> int:
    """The smallest key of a day's entries (the next day's is the first key past them)."""
    return day_number(day) << SEQ_BITS


def entry_key(row: dict[str, Any], seq: int) -> int:
    """A stored row's index key: its publication day (else the day first seen), its seq."""
    stamp = row.get("published") or row.get("first_seen") or "1970-01-01"
    return (day_number(date.fromisoformat(stamp[:10])) << SEQ_BITS) | seq


def entry_values(row: dict[str, Any], seq: int) -> list[Any]:
    """Bound values for a row's index entry: its key, then PAPERS_FTS_COLUMNS in order
    (list columns as lists)."""
    return [entry_key(row, seq), index_text(row["title"]), index_text(row["abstract"]),
            index_text(", ".join(row["authors"])), " ".join(row["categories"]),
            " ".join(row["sources"])]


def titles_values(row: dict[str, Any], key: int) -> list[Any]:
    """Bound values for a row's entry in the titles index (storage.titles), under the
    key of its full-text entry."""
    return [key, title_text(row)]


def write_entries(conn: Any, rows: list[tuple[dict[str, Any], int]]) -> list[int]:
    """Both index entries of each (row, seq); their keys."""
    entries = [entry_values(row, seq) for row, seq in rows]
    conn.executemany(INSERT, entries)
    conn.executemany(TITLES_INSERT, (titles_values(row, entry[0])
                                    for (row, _), entry in zip(rows, entries, strict=True)))
    return [entry[0] for entry in entries]


def rewrite_entries(conn: Any, changes: list[tuple[dict[str, Any], dict[str, Any]]]
                    ) -> list[tuple[dict[str, Any], int, int]]:
    """The entries of rows whose indexed text or day changed (old row, new row; same
    seq): a contentless index forgets an entry only when told the exact text it indexed,
    and a new publication day moves the entry to a new key. (old row, old key, new key)
    of each entry rewritten."""
    changed = []
    for old, new in changes:
        before, after = entry_values(old, old["seq"]), entry_values(new, old["seq"])
        if before != after:
            changed.append((old, new, before, after))
    conn.executemany(DELETE, [before for _, _, before, _ in changed])
    conn.executemany(TITLES_DELETE, [titles_values(old, before[0])
                                    for old, _, before, _ in changed])
    conn.executemany(INSERT, [after for _, _, _, after in changed])
    conn.executemany(TITLES_INSERT, [titles_values(new, after[0])
                                    for _, new, _, after in changed])
    return [(old, before[0], after[0]) for old, _, before, after in changed]


def create_titles_index(db: sqlite_utils.Database) -> None:
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS papers_titles USING fts5(title, content='', "
               "columnsize=0, detail=none, tokenize=\"unicode61 tokenchars '_'\")")
    tune_bulk_index(db, "papers_titles")


def tune_bulk_index(db: sqlite_utils.Database, table: str) -> None:
    """An FTS5 index written in big batches: a large in-memory hash, fewer merges (as
    papers_fts, storage.migrations). `table` is one of our own names, never user text."""
    for option, value in (("hashsize", 64 * 1024 * 1024), ("automerge", 16),
                          ("crisismerge", 64)):
        db.execute(f"INSERT INTO {table} ({table}, rank) VALUES (?, ?)",  # noqa: S608
                   [option, value])


def migrate_index_by_date(db: sqlite_utils.Database) -> None:
    """Migration 12: every entry again, under its publication-day key (the index was
    keyed by seq, the storage order), and the titles index (storage.titles)."""
    conn = db.conn
    create_titles_index(db)
    conn.execute("INSERT INTO papers_fts (papers_fts) VALUES ('delete-all')")
    last = 0
    while True:
        rows = conn.execute(
            "SELECT seq, title, abstract, authors, categories, sources, published, "
            "first_seen FROM papers WHERE seq > ? ORDER BY seq LIMIT ?",
            [last, _CHUNK]).fetchall()
        if not rows:
            return
        write_entries(conn, [(_listed(row), row[0]) for row in rows])
        last = rows[-1][0]


def _listed(row: tuple) -> dict[str, Any]:
    from storage.papers import lists_from_json  # it imports this module

    names = ("seq", "title", "abstract", "authors", "categories", "sources", "published",
             "first_seen")
    found = lists_from_json(dict(zip(names, row, strict=True)))
    found["abstract"] = found["abstract"] or ""
    return found
