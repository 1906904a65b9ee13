"""The sources table: what lectern polls, its conditional-GET validators, its health and
what its last reading held."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlite_utils

from bot.clock import parse_instant, to_iso
from bot.models import Source
from storage.db import transaction

_INSTANTS = ("last_polled", "last_success", "last_new", "empty_since")


def _source(row: dict[str, Any]) -> Source:
    values = {k: row[k] for k in Source.__slots__ if k in row}
    for key in _INSTANTS:
        values[key] = parse_instant(row[key]) if row[key] else None
    values["failures"] = row["failures"] or 0
    values["last_warnings"] = row["last_warnings"] or 0
    return Source(**values)


def list_sources(db: sqlite_utils.Database) -> list[Source]:
    return [_source(row) for row in db.query("SELECT * FROM sources ORDER BY name")]


def get_source(db: sqlite_utils.Database, name: str) -> Source | None:
    rows = list(db.query("SELECT * FROM sources WHERE name = ?", [name]))
    return _source(rows[0]) if rows else None


def save_source(db: sqlite_utils.Database, source: Source, now: datetime) -> None:
    """Add a source, or update its kind, location and schedule (keeping its health)."""
    with transaction(db) as conn:
        conn.execute(
            """INSERT INTO sources (name, kind, location, interval_minutes, timezone,
                                    added_by, added_in, failures, created)
               VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)
               ON CONFLICT (name) DO UPDATE SET kind = excluded.kind,
                 location = excluded.location, interval_minutes = excluded.interval_minutes,
                 timezone = excluded.timezone""",
            [source.name, source.kind, source.location, source.interval_minutes,
             source.timezone, source.added_by, source.added_in, to_iso(now)])


def remove_source(db: sqlite_utils.Database, name: str) -> bool:
    with transaction(db) as conn:
        return conn.execute("DELETE FROM sources WHERE name = ?", [name]).rowcount > 0


def record_success(db: sqlite_utils.Database, name: str, now: datetime, *,
                   etag: str | None, last_modified: str | None,
                   content_hash: str | None = None, changed: bool = False,
                   items: int | None = None, warnings: Sequence[str] = ()) -> None:
    """A poll worked. `content_hash` digests what the document held (None: not modified):
    when it differs from the last one, or `changed` says so, the source's content changed
    (last_new = now). The first success starts the freshness clock. `items` counts what the
    document held and `warnings` are what its reader could not read (None: not read, a
    304, and the last reading stands); a document with no item starts or continues an
    empty spell (empty_since), one with items ends it."""
    with transaction(db) as conn:
        conn.execute("""UPDATE sources SET last_polled = :now, last_success = :now,
                        last_error = NULL, failures = 0, etag = :etag,
                        last_modified = :last_modified,
                        last_new = CASE WHEN last_new IS NULL OR :changed
                          OR (:hash IS NOT NULL AND :hash IS NOT content_hash) THEN :now
                          ELSE last_new END,
                        content_hash = coalesce(:hash, content_hash),
                        empty_since = CASE WHEN :items IS NULL THEN empty_since
                          WHEN :items = 0 THEN coalesce(empty_since, :now) ELSE NULL END,
                        last_items = coalesce(:items, last_items),
                        last_warnings = CASE WHEN :items IS NULL THEN last_warnings
                          ELSE :warnings END,
                        last_warning = CASE WHEN :items IS NULL THEN last_warning
                          ELSE :warning END
                        WHERE name = :name""",
                     {"now": to_iso(now), "etag": etag, "last_modified": last_modified,
                      "hash": content_hash, "name": name, "changed": int(changed),
                      "items": items, "warnings": len(warnings),
                      "warning": warnings[0][:500] if warnings else None})


def record_failure(db: sqlite_utils.Database, name: str, now: datetime, error: str) -> None:
    with transaction(db) as conn:
        conn.execute("""UPDATE sources SET last_polled = ?, last_error = ?,
                        failures = failures + 1 WHERE name = ?""",
                     [to_iso(now), error[:500], name])
