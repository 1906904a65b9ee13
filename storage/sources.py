"""The sources table: what lectern polls, its conditional-GET validators and its health."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlite_utils

from bot.clock import parse_instant, to_iso
from bot.models import Source
from storage.db import transaction

_INSTANTS = ("last_polled", "last_success", "last_new")


def _source(row: dict[str, Any]) -> Source:
    values = {k: row[k] for k in Source.__slots__ if k in row}
    for key in _INSTANTS:
        values[key] = parse_instant(row[key]) if row[key] else None
    values["failures"] = row["failures"] or 0
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
                   content_hash: str | None = None, changed: bool = False) -> None:
    """A poll worked. `content_hash` digests what the document held (None: not modified):
    when it differs from the last one, or `changed` says so, the source's content changed
    (last_new = now). The first success starts the freshness clock."""
    with transaction(db) as conn:
        conn.execute("""UPDATE sources SET last_polled = ?1, last_success = ?1,
                        last_error = NULL, failures = 0, etag = ?2, last_modified = ?3,
                        last_new = CASE WHEN last_new IS NULL OR ?6
                          OR (?4 IS NOT NULL AND ?4 IS NOT content_hash) THEN ?1
                          ELSE last_new END,
                        content_hash = coalesce(?4, content_hash) WHERE name = ?5""",
                     [to_iso(now), etag, last_modified, content_hash, name, int(changed)])


def record_failure(db: sqlite_utils.Database, name: str, now: datetime, error: str) -> None:
    with transaction(db) as conn:
        conn.execute("""UPDATE sources SET last_polled = ?, last_error = ?,
                        failures = failures + 1 WHERE name = ?""",
                     [to_iso(now), error[:500], name])
