"""Papers in SQLite: batch upserts that merge one paper's views from several sources.

The same paper seen by arXiv, Hugging Face and a journal feed is one row (keyed by its
canonical id); each sighting merges into it, and a new version is an update, never a new
paper. The full-text index is kept in step inside the same transaction.
"""

from __future__ import annotations

import gc
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from json.encoder import encode_basestring
from typing import Any

import sqlite_utils

from bot.clock import to_iso
from bot.models import Paper, UpsertResult
from storage import pairs
from storage.db import transaction
from storage.paper_index import rewrite_entries, write_entries

BATCH = 2_000
_LIST_FIELDS = ("authors", "categories", "sources")
# Fields that decide what a paper says, taken from the newest version a source reports.
_VERSIONED = ("title", "abstract", "authors", "url", "pdf_url", "comment", "journal_ref")
# Fields any source may fill in or refresh (the latest report wins).
_LATEST = ("doi", "arxiv_id", "upvotes", "num_comments", "github_url", "project_url")
_COLUMNS = ("id", "title", "abstract", "authors", "categories", "url", "pdf_url", "arxiv_id",
            "version", "doi", "published", "updated", "announce_type", "comment",
            "journal_ref", "upvotes", "num_comments", "github_url", "project_url",
            "listed_on", "sources", "first_seen", "last_changed")
_LIST_INDEXES = tuple(_COLUMNS.index(column) + 1 for column in _LIST_FIELDS)  # after seq


def upsert_papers(db: sqlite_utils.Database, papers: Iterable[Paper], now: datetime,
                  progress: Callable[[int], None] | None = None) -> UpsertResult:
    """Store papers, merging with what is known; all of one call or nothing.

    Returns which canonical ids were new, updated or unchanged. `progress` is told how
    many papers each batch held (for a progress bar on long ingests).
    """
    result = UpsertResult()
    stamp = to_iso(now)
    with transaction(db) as conn, _cheap_deletes(conn):
        batch: list[Paper] = []
        for paper in papers:
            batch.append(paper)
            if len(batch) >= BATCH:
                _upsert_batch(conn, batch, stamp, result)
                if progress:
                    progress(len(batch))
                batch = []
        if batch:
            _upsert_batch(conn, batch, stamp, result)
            if progress:
                progress(len(batch))
    return result


@contextmanager
def _cheap_deletes(conn: sqlite3.Connection) -> Iterator[None]:
    """secure_delete FAST while we write (this SQLite is built with it ON).

    Writing papers makes FTS5 merge index segments now and then, which frees as many
    pages as it writes; zeroing every freed page made those merges about a quarter slower.
    FAST still scrubs deleted content from the pages being written anyway.
    """
    previous = conn.execute("PRAGMA secure_delete").fetchone()[0]
    conn.execute("PRAGMA secure_delete = FAST")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA secure_delete = {int(previous)}")


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Hold off the cyclic garbage collector while we build and write a batch.

    A batch allocates tens of thousands of short-lived lists and dicts (none in cycles,
    so reference counting frees them); each collection they trigger walks every live
    object in the process again, a tenth of a backfill's time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_gc_paused()
def _upsert_batch(conn: sqlite3.Connection, papers: Sequence[Paper], stamp: str,
                  result: UpsertResult) -> None:
    incoming: dict[str, dict[str, Any]] = {}
    formers: dict[str, str] = {}
    for paper in papers:  # the same paper twice in one batch merges too
        row = _row(paper, stamp)
        incoming[paper.id] = _merge(incoming[paper.id], row) if paper.id in incoming else row
        if paper.former_id:
            formers[paper.id] = paper.former_id
    known = _load(conn, list(incoming))
    _rekey_former(conn, {new: old for new, old in formers.items() if new not in known}, known)
    inserts, updates = [], []
    for paper_id, row in incoming.items():
        old = known.get(paper_id)
        if old is None:
            inserts.append(row)
            result.new.append(paper_id)
            continue
        merged = _merge(old, row)
        if all(merged[c] == old[c] for c in _COLUMNS if c not in ("first_seen", "last_changed")):
            result.unchanged.append(paper_id)
            continue
        merged["last_changed"] = stamp
        updates.append((old, merged))
        result.updated.append(paper_id)
    _write(conn, inserts, updates)


def _rekey_former(conn: sqlite3.Connection, formers: dict[str, str],
                  known: dict[str, dict[str, Any]]) -> None:
    """A plain feed item that now carries a DOI or an arXiv id (`formers`: its new id ->
    the id it was stored under) takes its new id, with its deliveries, and counts as
    known: it is updated, not announced again."""
    stored = _load(conn, list(set(formers.values()))) if formers else {}
    for new, old in formers.items():
        row = stored.get(old)
        if row is None or row["id"] != old:  # not stored, or taken by another new id
            continue
        conn.execute("UPDATE papers SET id = ? WHERE seq = ?", [new, row["seq"]])
        conn.execute("UPDATE deliveries SET item_id = ? WHERE item_kind = 'paper' "
                     "AND item_id = ?", [new, old])
        row["id"] = new
        known[new] = row


def _write(conn: sqlite3.Connection, inserts: list[dict[str, Any]],
           updates: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
    # Column lists are our constants; every value is a bound parameter. Parameters are
    # numbered so that an insert and an update take the same list: seq, then _COLUMNS.
    columns = ", ".join(_COLUMNS)
    marks = ", ".join(f"?{i}" for i in range(1, len(_COLUMNS) + 2))
    if inserts:
        # We hold the write lock (BEGIN IMMEDIATE), so numbering the rows here is safe and
        # lets the index entries carry the same rowid without a round trip per row.
        first = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM papers").fetchone()[0]
        conn.executemany(f"INSERT INTO papers (seq, {columns}) VALUES ({marks})",  # noqa: S608
                         (_values(r, first + i) for i, r in enumerate(inserts)))
        pairs.mark_pending(conn, write_entries(
            conn, [(row, first + i) for i, row in enumerate(inserts)]))
    if updates:
        assignments = ", ".join(f"{c} = ?{i}" for i, c in enumerate(_COLUMNS, 2) if c != "id")
        conn.executemany(f"UPDATE papers SET {assignments} WHERE seq = ?1",  # noqa: S608
                         [_values(new, old["seq"]) for old, new in updates])
        rewritten = rewrite_entries(conn, updates)
        for old, before, _ in rewritten:
            pairs.forget(conn, before, old)
        pairs.mark_pending(conn, [after for _, _, after in rewritten])


def _values(row: dict[str, Any], seq: int) -> list[Any]:
    """Bound values for a row: seq, then _COLUMNS in order (lists as JSON text)."""
    values = [seq, *map(row.__getitem__, _COLUMNS)]
    for index in _LIST_INDEXES:
        values[index] = _json_list(values[index])
    return values


def _json_list(items: list[Any]) -> str:
    """json.dumps(items, ensure_ascii=False), a few times faster for lists of strings (the
    bulk path spends a good share of its time here)."""
    try:
        return "[" + ", ".join(map(encode_basestring, items)) + "]"
    except TypeError:
        return json.dumps(items, ensure_ascii=False)


def _load(conn: sqlite3.Connection, ids: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        cursor = conn.execute(f"SELECT seq, {', '.join(_COLUMNS)} FROM papers "  # noqa: S608
                              f"WHERE id IN ({marks})", chunk)
        names = [d[0] for d in cursor.description]
        for values in cursor:
            row = lists_from_json(dict(zip(names, values, strict=True)))
            found[row["id"]] = row
    return found


def _row(paper: Paper, stamp: str) -> dict[str, Any]:
    """A Paper as a column dict (lists as lists; instants and dates as ISO text)."""
    return {
        "id": paper.id, "title": paper.title.strip(), "abstract": paper.abstract or "",
        "authors": list(paper.authors), "categories": list(dict.fromkeys(paper.categories)),
        "url": paper.url or "", "pdf_url": paper.pdf_url, "arxiv_id": paper.arxiv_id,
        "version": paper.version, "doi": paper.doi, "published": to_iso(paper.published),
        "updated": to_iso(paper.updated), "announce_type": paper.announce_type,
        "comment": paper.comment, "journal_ref": paper.journal_ref, "upvotes": paper.upvotes,
        "num_comments": paper.num_comments, "github_url": paper.github_url,
        "project_url": paper.project_url,
        "listed_on": paper.listed_on.isoformat() if paper.listed_on else None,
        "sources": [paper.source], "first_seen": stamp, "last_changed": stamp,
    }


def _merge(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """One paper's row after another sighting; pure."""
    merged = dict(old)
    old_version, new_version = old["version"] or 0, new["version"] or 0
    if new_version >= old_version:
        for column in _VERSIONED:
            if new[column]:
                merged[column] = new[column]
    for column in _LATEST:
        if new[column] is not None:
            merged[column] = new[column]
    merged["version"] = max(old_version, new_version) or None
    merged["categories"] = list(dict.fromkeys(old["categories"] + new["categories"]))
    merged["sources"] = list(dict.fromkeys(old["sources"] + new["sources"]))
    merged["published"] = min(filter(None, (old["published"], new["published"])), default=None)
    merged["updated"] = max(filter(None, (old["updated"], new["updated"])), default=None)
    merged["listed_on"] = min(filter(None, (old["listed_on"], new["listed_on"])), default=None)
    merged["announce_type"] = old["announce_type"] or new["announce_type"]
    return merged


def lists_from_json(row: dict[str, Any]) -> dict[str, Any]:
    """The row with its JSON list columns (authors, categories, sources) as lists."""
    for column in _LIST_FIELDS:
        row[column] = json.loads(row[column]) if row.get(column) else []
    return row
